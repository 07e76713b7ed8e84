// Builds as the classic builder (version=1) reports them: "Step n/m : ..." lines, an
// aux ID after each finished stage, "Successfully built/tagged". The image id is a hash
// of the request and the context bytes, so an unchanged build gives the same id.
#include <archive.h>
#include <archive_entry.h>

#include <set>

#include "runtime/fake/fake_dockerfile.hpp"
#include "runtime/fake/fake_transfers.hpp"

namespace stack::runtime::fake::detail {
namespace {

struct BuildContext {
  std::string bytes;
  std::map<std::string, std::string> files;
  std::set<std::string> dirs;
};

std::string cleanPath(std::string path) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  while (!path.empty() && path.front() == '/') path.erase(0, 1);
  while (!path.empty() && path.back() == '/') path.pop_back();
  return path;
}

BuildContext readContext(BodySource* source) {
  BuildContext ctx;
  if (source) {
    char buffer[65536];
    for (size_t n = source->read(buffer, sizeof buffer); n > 0;
         n = source->read(buffer, sizeof buffer))
      ctx.bytes.append(buffer, n);
  }
  if (ctx.bytes.empty()) return ctx;
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_all(a);
  if (archive_read_open_memory(a, ctx.bytes.data(), ctx.bytes.size()) != ARCHIVE_OK) {
    const std::string reason = archive_error_string(a) ? archive_error_string(a) : "unknown";
    archive_read_free(a);
    throw Error(ErrorKind::Engine, "Error processing tar file: " + reason);
  }
  struct archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(a, &entry)) == ARCHIVE_OK || status == ARCHIVE_WARN) {
    const std::string path = cleanPath(archive_entry_pathname(entry));
    for (auto slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1))
      ctx.dirs.insert(path.substr(0, slash));
    if (archive_entry_filetype(entry) == AE_IFDIR) {
      ctx.dirs.insert(path);
      continue;
    }
    std::string content;
    char block[8192];
    for (la_ssize_t n = archive_read_data(a, block, sizeof block); n > 0;
         n = archive_read_data(a, block, sizeof block))
      content.append(block, static_cast<size_t>(n));
    ctx.files[path] = std::move(content);
  }
  const std::string reason = status == ARCHIVE_EOF     ? ""
                             : archive_error_string(a) ? archive_error_string(a)
                                                       : "?";
  archive_read_free(a);
  if (!reason.empty()) throw Error(ErrorKind::Engine, "Error processing tar file: " + reason);
  return ctx;
}

bool contextHas(const BuildContext& ctx, const std::string& source) {
  const std::string path = cleanPath(source);
  if (path.empty() || path == ".") return true;
  if (path.find_first_of("*?[") != std::string::npos) {
    for (const auto& [file, content] : ctx.files)
      if (globMatch(path, file)) return true;
    for (const auto& dir : ctx.dirs)
      if (globMatch(path, dir)) return true;
    return false;
  }
  return ctx.files.count(path) || ctx.dirs.count(path);
}

std::string shortHex(const std::string& id) {
  return id.substr(id.rfind("sha256:", 0) == 0 ? 7 : 0, 12);
}

class BuildPlanner {
 public:
  BuildPlanner(const std::shared_ptr<Daemon>& d, const BuildRequest& request)
      : d_(d), request_(request) {}

  std::vector<ProgressStep> plan();

 private:
  bool planStage(size_t index);
  bool resolveBase(const Stage& stage, ContainerConfig& config, std::string& base_id);
  bool runInstruction(const Instruction& in, ConfigBuilder& builder, std::string& layer);
  void text(std::string line, nanoseconds delay = {}) {
    steps_.push_back({delay, streamMessage(std::move(line)), {}});
  }
  void fail(std::string message, int code) {
    steps_.push_back({{}, errorMessage(std::move(message), code), {}});
  }
  void finish();

  std::shared_ptr<Daemon> d_;
  const BuildRequest& request_;
  BuildContext ctx_;
  std::optional<BuildScript> script_;
  std::vector<Stage> stages_;
  size_t target_ = 0;
  int total_ = 0;
  int step_ = 0;
  int fail_step_ = 0;
  std::vector<ContainerConfig> stage_configs_;
  std::vector<std::string> base_ids_;
  std::vector<ProgressStep> steps_;
};

std::vector<ProgressStep> BuildPlanner::plan() {
  ctx_ = readContext(request_.context.get());
  const std::string path =
      cleanPath(request_.dockerfile.empty() ? "Dockerfile" : request_.dockerfile);
  const auto file = ctx_.files.find(path);
  if (file == ctx_.files.end())
    throw Error(ErrorKind::Engine, "Cannot locate specified Dockerfile: " + path);
  stages_ = splitStages(parseDockerfile(file->second), request_.build_args);
  target_ = stages_.size() - 1;
  if (!request_.target.empty()) {
    const auto it = std::find_if(stages_.begin(), stages_.end(),
                                 [&](const Stage& s) { return s.name == request_.target; });
    if (it == stages_.end())
      throw Error(ErrorKind::Engine,
                  "failed to reach build target " + request_.target + " in Dockerfile");
    target_ = static_cast<size_t>(it - stages_.begin());
  }
  for (size_t i = 0; i <= target_; ++i) total_ += static_cast<int>(stages_[i].instructions.size());
  script_ = d_->scripts.findBuild(request_.tags.empty() ? "" : request_.tags.front());
  if (script_ && script_->fail_at_step)
    fail_step_ = *script_->fail_at_step <= 0 ? total_ : std::min(*script_->fail_at_step, total_);
  for (size_t i = 0; i <= target_; ++i)
    if (!planStage(i)) return std::move(steps_);
  finish();
  return std::move(steps_);
}

bool BuildPlanner::resolveBase(const Stage& stage, ContainerConfig& config, std::string& base_id) {
  if (stage.base == "scratch") return true;
  for (size_t i = 0; i < stage_configs_.size(); ++i)
    if (!stages_[i].name.empty() && stages_[i].name == stage.base) {
      config = stage_configs_[i];
      base_id = "stage:" + std::to_string(i);
      return true;
    }
  if (const ImageRecord* image = d_->findImage(stage.base); image && !request_.pull) {
    config = image->config;
    base_id = image->id;
    return true;
  }
  const auto ref = parseImageReference(stage.base);
  if (!ref) {
    fail("invalid reference format", 0);
    return false;
  }
  const auto auth = request_.registry_config.count(ref->repository)
                        ? request_.registry_config.at(ref->repository)
                        : RegistryAuth{};
  if (const std::string refusal = pullRefusal(*d_, *ref, auth); !refusal.empty()) {
    if (const ImageRecord* image = d_->findImage(stage.base)) {  // --pull with a local copy
      config = image->config;
      base_id = image->id;
      return true;
    }
    fail(refusal, 0);
    return false;
  }
  const FakeRegistry::Entry& entry = *d_->registry.find(*ref);
  appendPullSteps(d_, *ref, entry, steps_);
  config = entry.image.config;
  base_id = "sha256:" + sha256Hex("image/" + entry.digest);
  return true;
}

bool BuildPlanner::planStage(size_t index) {
  const Stage& stage = stages_[index];
  const nanoseconds delay = script_ ? script_->step_duration : nanoseconds(0);
  ContainerConfig base;
  std::string base_id;
  text("Step " + std::to_string(++step_) + "/" + std::to_string(total_) + " : " +
           stage.instructions.front().text + "\n",
       delay);
  if (!resolveBase(stage, base, base_id)) return false;
  // The base's own short id (empty for scratch, a layer hash for an earlier stage).
  const std::string shown = base_id.rfind("sha256:", 0) == 0 ? shortHex(base_id)
                            : base_id.empty()                ? std::string()
                                                             : sha256Hex(base_id).substr(0, 12);
  text(" ---> " + shown + "\n");
  if (step_ == fail_step_) {
    fail(script_->fail_message.empty() ? "build failed at step " + std::to_string(step_)
                                       : script_->fail_message,
         script_->fail_code);
    return false;
  }
  ConfigBuilder builder(base, request_.build_args);
  std::string layer = sha256Hex(base_id);
  for (size_t i = 1; i < stage.instructions.size(); ++i) {
    const Instruction& in = stage.instructions[i];
    text("Step " + std::to_string(++step_) + "/" + std::to_string(total_) + " : " + in.text + "\n",
         delay);
    if (!runInstruction(in, builder, layer)) return false;
  }
  stage_configs_.push_back(builder.config);
  base_ids_.push_back(base_id);
  if (index < target_) steps_.push_back({{}, auxMessage("sha256:" + layer), {}});
  return true;
}

bool BuildPlanner::runInstruction(const Instruction& in, ConfigBuilder& builder,
                                  std::string& layer) {
  try {
    builder.apply(in);
  } catch (const Error& error) {
    fail(error.message(), 1);
    return false;
  }
  for (const auto& source : builder.contextSources(in))
    if (!contextHas(ctx_, source)) {
      fail(in.keyword +
               " failed: file not found in build context or excluded by .dockerignore: stat " +
               cleanPath(source) + ": file does not exist",
           1);
      return false;
    }
  layer = sha256Hex(layer + "\n" + in.text);
  const bool failing = step_ == fail_step_;
  if (in.keyword == "RUN") {
    const std::string container = sha256Hex("run/" + layer).substr(0, 12);
    text(" ---> Running in " + container + "\n");
    if (script_)
      for (const auto& line : script_->run_output) text(line + (line.ends_with("\n") ? "" : "\n"));
    if (failing) {
      const auto argv = builder.runCommand(in);
      const std::string shown =
          argv.size() == 3 && argv[0] == "/bin/sh" ? "/bin/sh -c " + argv[2] : hashableJson(argv);
      fail(script_->fail_message.empty()
               ? "The command '" + shown +
                     "' returned a non-zero code: " + std::to_string(script_->fail_code)
               : script_->fail_message,
           script_->fail_code);
      return false;
    }
    text("Removing intermediate container " + container + "\n");
  } else if (failing) {
    fail(script_->fail_message.empty() ? "build failed at step " + std::to_string(step_)
                                       : script_->fail_message,
         script_->fail_code);
    return false;
  }
  text(" ---> " + layer.substr(0, 12) + "\n");
  return true;
}

void BuildPlanner::finish() {
  ContainerConfig config = stage_configs_.back();
  for (const auto& [key, value] : request_.labels) config.labels[key] = value;
  config.image.clear();
  nlohmann::json seed = {{"dockerfile", request_.dockerfile},
                         {"args", request_.build_args},
                         {"labels", request_.labels},
                         {"target", request_.target},
                         {"bases", base_ids_}};
  const std::string id = "sha256:" + sha256Hex(hashableJson(seed) + "\n" + ctx_.bytes);
  const int64_t size = static_cast<int64_t>(ctx_.bytes.size()) + 1024 * 1024;
  std::vector<std::string> tags;
  for (const auto& tag : request_.tags)
    if (auto ref = parseImageReference(tag)) tags.push_back(ref->familiar());
  const std::weak_ptr<Daemon> weak = d_;
  auto store = [weak, id, config, tags, size] {
    auto live = weak.lock();
    if (!live) return;
    live->storeImage(id, config, {}, size);
    for (const auto& tag : tags) {
      live->tagImage(live->images.at(id), *parseImageReference(tag));
      live->imageEvent(id, tag, "tag");
    }
  };
  steps_.push_back({{}, auxMessage(id), {}});
  steps_.push_back({{}, streamMessage("Successfully built " + id.substr(7, 12) + "\n"), store});
  for (const auto& tag : tags) text("Successfully tagged " + tag + "\n");
}

}  // namespace

std::vector<ProgressStep> planBuild(const std::shared_ptr<Daemon>& daemon,
                                    const BuildRequest& request) {
  return BuildPlanner(daemon, request).plan();
}

}  // namespace stack::runtime::fake::detail
