// Recording each up (timings/): the recorder lives from the start of up() or upAttached()
// until the up returns or attaches, and its record is kept under options_.state_dir.

#include "core/error.hpp"
#include "core/log.hpp"
#include "orchestrator/project_controller.hpp"
#include "orchestrator/timings/up_recorder.hpp"

namespace stack::orchestrator {

void ProjectController::startRecording(const compose::Project& project) {
  recorder_.reset();
  recording_sink_.reset();
  if (options_.state_dir.empty() || options_.dry_run) return;
  recorder_ = std::make_shared<timings::UpRecorder>(project.name);
  recording_sink_ = std::make_shared<timings::RecordingSink>(progress_, *recorder_);
}

progress::ProgressSink& ProjectController::reporting() {
  return recording_sink_ ? *recording_sink_ : progress_;
}

void ProjectController::finishRecording(std::exception_ptr failure) {
  if (!recorder_) return;
  std::string error;
  if (failure) {
    try {
      std::rethrow_exception(failure);
    } catch (const Error& caught) {
      error = caught.what();
    } catch (const std::exception& caught) {
      error = caught.what();
    } catch (...) {
      error = "unknown error";
    }
  }
  recorder_->finish(error);
  const auto path = timings::lastUpPath(options_.state_dir, recorder_->record().project);
  try {
    timings::saveRecord(path, recorder_->record());
  } catch (const Error& write_error) {
    log::get("timings")->warn("cannot keep the timings of this up: {}", write_error.what());
  }
  recording_sink_.reset();
  recorder_.reset();
}

}  // namespace stack::orchestrator
