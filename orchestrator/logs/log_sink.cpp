#include "orchestrator/logs/log_sink.hpp"

#include "runtime/decode/output_line_splitter.hpp"

namespace stack::orchestrator::logs {

boost::asio::awaitable<void> pumpLines(runtime::OutputStream& stream, const LogSource& source,
                                       LogSink& sink) {
  runtime::decode::OutputLineSplitter splitter;
  auto deliver = [&] {
    while (auto piece = splitter.next()) {
      sink.line({source, piece->kind, std::string(piece->text)});
    }
    sink.flush();
  };
  while (auto chunk = co_await stream.next()) {
    splitter.feed(*chunk);
    deliver();
  }
  splitter.finish();
  deliver();
}

}  // namespace stack::orchestrator::logs
