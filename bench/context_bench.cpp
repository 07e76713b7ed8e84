// Build-context benchmark: generates a context (by default 20,000 files, 500 MB) under
// /tmp, streams its tar through the BodySource into a counting sink, and hashes it cold
// and with a warm digest cache. Reports throughput and peak RSS per phase, to show that
// memory stays bounded whatever the context's size. The files are read from the page
// cache (they were just written), so the figures are CPU-bound, not disk-bound.
//
// Usage: context_bench [--files N] [--megabytes M] [--dir PATH] [--keep]

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "runtime/context/build_context.hpp"
#include "runtime/context/context_hash.hpp"
#include "runtime/context/context_tar.hpp"

namespace fs = std::filesystem;
using stack::runtime::context::BuildContext;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  size_t files = 20000;
  size_t megabytes = 500;
  fs::path dir;
  bool keep = false;
};

// VmRSS or VmHWM of this process in MiB.
double statusMiB(const char* field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stod(line.substr(std::strlen(field) + 1)) / 1024;
  }
  return -1;
}

// Resets VmHWM to the current RSS, so each phase reports its own peak.
void resetPeak() {
  std::ofstream("/proc/self/clear_refs") << "5";
}

double seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// Writes `size` pseudo-random bytes (incompressible, like real build inputs mostly are).
void writeFile(const fs::path& path, size_t size, uint64_t& state, std::vector<char>& buffer) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  while (size > 0) {
    size_t n = std::min(size, buffer.size());
    for (size_t i = 0; i + 8 <= n; i += 8) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      std::memcpy(buffer.data() + i, &state, 8);
    }
    if (::write(fd, buffer.data(), n) != static_cast<ssize_t>(n)) {
      ::close(fd);
      throw std::runtime_error("cannot write " + path.string());
    }
    size -= n;
  }
  ::close(fd);
}

// Half of the bytes go to 1 file in 1000, the rest is spread over small files of 0..2x
// the average size, 200 files per directory, 3 directory levels deep.
uint64_t generate(const Options& options) {
  std::vector<char> buffer(1 << 20);
  uint64_t state = 0x9E3779B97F4A7C15ull;
  const uint64_t total = uint64_t(options.megabytes) << 20;
  const size_t large_count = std::max<size_t>(1, options.files / 1000);
  const size_t small_count = options.files - large_count;
  const uint64_t large_size = total / 2 / large_count;
  const uint64_t small_average =
      (total - large_size * large_count) / std::max<size_t>(small_count, 1);
  uint64_t written = 0;
  for (size_t i = 0; i < options.files; ++i) {
    fs::path dir = options.dir / ("d" + std::to_string(i / 20000)) /
                   ("e" + std::to_string(i / 2000 % 10)) / ("f" + std::to_string(i / 200 % 10));
    if (i % 200 == 0) fs::create_directories(dir);
    uint64_t size = i % 1000 == 0 && i / 1000 < large_count
                        ? large_size
                        : small_average / 2 + (i * 7919) % small_average;
    writeFile(dir / ("file" + std::to_string(i) + (i % 97 == 0 ? ".tmp" : ".dat")), size, state,
              buffer);
    written += size;
  }
  std::ofstream(options.dir / "Dockerfile") << "FROM scratch\nCOPY . /\n";
  std::ofstream(options.dir / ".dockerignore") << "**/*.tmp\n!d0/e0/f0/file0.tmp\n";
  return written;
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (arg == "--files")
      options.files = std::stoul(value());
    else if (arg == "--megabytes")
      options.megabytes = std::stoul(value());
    else if (arg == "--dir")
      options.dir = value();
    else if (arg == "--keep")
      options.keep = true;
    else
      throw std::runtime_error("unknown argument " + arg);
  }
  if (options.dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "stack-context-bench-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    options.dir = pattern;
  }
  return options;
}

void streamTar(const BuildContext& context) {
  resetPeak();
  double before = statusMiB("VmRSS:");
  auto start = Clock::now();
  stack::runtime::context::ContextTarSource source(context.resolved());
  std::vector<char> buffer(64 * 1024);  // what libcurl asks for per read callback
  while (source.read(buffer.data(), buffer.size()) > 0) {
  }
  double elapsed = seconds(start);
  double mb = double(source.bytesRead()) / (1 << 20);
  std::printf(
      "tar stream     %8.1f MiB in %6.2f s = %7.1f MiB/s   RSS before %.1f MiB, peak %.1f MiB,"
      " internal buffer peak %zu KiB\n",
      mb, elapsed, mb / elapsed, before, statusMiB("VmHWM:"), source.peakBuffered() / 1024);
}

void hash(const BuildContext& context, stack::runtime::context::DigestCache* cache,
          const char* label) {
  resetPeak();
  stack::runtime::context::HashStats stats;
  auto start = Clock::now();
  std::string digest = stack::runtime::context::hashContext(context, cache, &stats).hexDigest();
  double elapsed = seconds(start);
  double mb = double(stats.bytes_read) / (1 << 20);
  std::printf(
      "%-14s %8.1f MiB read in %6.2f s = %7.1f MiB/s, %6llu files, %6llu cache hits, "
      "%.0f files/s, peak RSS %.1f MiB\n  %s\n",
      label, mb, elapsed, elapsed > 0 ? mb / elapsed : 0.0,
      static_cast<unsigned long long>(stats.files),
      static_cast<unsigned long long>(stats.cache_hits), stats.files / elapsed, statusMiB("VmHWM:"),
      digest.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options options = parse(argc, argv);
    std::printf("generating %zu files, %zu MiB in %s\n", options.files, options.megabytes,
                options.dir.c_str());
    auto start = Clock::now();
    uint64_t bytes = generate(options);
    std::printf("generated %.1f MiB in %.1f s\n", double(bytes) / (1 << 20), seconds(start));
    // Let every file leave the digest cache's 2-second "racy" window.
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));

    BuildContext context = BuildContext::open({options.dir, "", std::nullopt});
    streamTar(context);
    streamTar(context);
    stack::runtime::context::DigestCache cache;
    hash(context, &cache, "hash cold");
    hash(context, &cache, "hash warm");
    fs::path cache_file = options.dir.string() + ".digests";
    start = Clock::now();
    cache.save(cache_file);
    auto loaded = stack::runtime::context::DigestCache::load(cache_file);
    std::printf("digest cache   %zu entries, %.1f KiB on disk, save+load %.3f s\n", loaded.size(),
                double(fs::file_size(cache_file)) / 1024, seconds(start));
    hash(context, &loaded, "hash reloaded");
    fs::remove(cache_file);
    if (!options.keep) fs::remove_all(options.dir);
    return 0;
  } catch (const stack::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.describe().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  return 1;
}
