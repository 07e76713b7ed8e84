#include "tests/support/engine_fixture.hpp"

#include <unistd.h>

#include <random>

#include "tests/support/process.hpp"
#include "tests/support/test_project.hpp"

namespace stack::test {

EngineFixture::EngineFixture() {
  requireEngine();
  std::random_device device;
  std::mt19937_64 random(device() ^ static_cast<uint64_t>(::getpid()));
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  id_ = "stkeng";
  for (int i = 0; i < 8; ++i) id_ += digits[random() % 36];
  engine_ = std::make_unique<runtime::docker::DockerEngine>(io_.get_executor(),
                                                            runtime::docker::resolveEndpoint());
}

EngineFixture::~EngineFixture() {
  engine_.reset();
  const std::string filter = "label=dev.stack.test=" + id_;
  runShell("ids=$(docker ps -aq --filter " + filter + "); [ -z \"$ids\" ] || docker rm -f $ids");
  runShell("ids=$(docker ps -aq --filter name=" + id_ + "); [ -z \"$ids\" ] || docker rm -f $ids");
  runShell("ids=$(docker network ls -q --filter " + filter +
           "); [ -z \"$ids\" ] || docker network rm $ids");
  runShell("ids=$(docker volume ls -q --filter " + filter +
           "); [ -z \"$ids\" ] || docker volume rm -f $ids");
  runShell("ids=$(docker images -q --filter " + filter +
           "); [ -z \"$ids\" ] || docker rmi -f $ids");
  runShell("ids=$(docker images -q --filter 'reference=" + id_ +
           "*'); [ -z \"$ids\" ] || docker rmi -f $ids");
}

void EngineFixture::run(boost::asio::awaitable<void> operation) {
  std::exception_ptr failure;
  boost::asio::co_spawn(io_, std::move(operation), [&](std::exception_ptr e) { failure = e; });
  io_.restart();
  io_.run();
  if (failure) std::rethrow_exception(failure);
}

runtime::ContainerCreateRequest EngineFixture::container(const std::string& suffix,
                                                         std::vector<std::string> command) const {
  runtime::ContainerCreateRequest request;
  request.name = name(suffix);
  request.config.image = kTestImage;
  request.config.cmd = std::move(command);
  request.config.labels = labels();
  request.config.attach_stdout = true;
  request.config.attach_stderr = true;
  return request;
}

}  // namespace stack::test
