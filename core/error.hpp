#pragma once

// The one error type of stack. Everything a user, the environment or the engine can cause
// is thrown as a stack::Error (or a subclass) and reaches main(), which maps its kind to an
// exit code in one place (cli/exit_codes.cpp). Third-party exceptions (YAML, JSON, system)
// are caught at the adapter that called the library and rethrown as an Error that keeps
// the location they carried.

#include <exception>
#include <string>
#include <vector>

namespace stack {

// What went wrong, coarse enough to choose an exit code and a recovery.
enum class ErrorKind {
  Usage,              // bad command line: unknown flag, conflicting flags
  Config,             // the compose file or its environment is wrong
  ConfigMissing,      // no compose file was found (docker compose exits 14 for this)
  NotFound,           // the engine has no such object
  Conflict,           // the engine refused: name in use, object in use, port taken
  EngineUnavailable,  // nothing answers on the engine endpoint
  Engine,             // the engine answered with an error we do not classify further
  Build,              // an image build failed
  Pull,               // an image pull or push failed
  Dependency,         // a dependency failed, never became healthy, or exited non-zero
  Timeout,            // a deadline passed
  Cancelled,          // the user interrupted (Ctrl-C) or the operation was cancelled
  Io,                 // the local filesystem failed
  Internal,           // a bug in stack; the message says so
};

// Where in a compose file a problem sits. `key_path` is the dotted path with indices,
// e.g. `services.web.ports[0]`. Line and column are 1-based; 0 means unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key_path;

  // "compose.yaml:12:7" or "compose.yaml" when the line is unknown; empty when no file.
  std::string position() const;
};

class Error : public std::exception {
 public:
  Error(ErrorKind kind, std::string message, std::string hint = {});

  ErrorKind kind() const noexcept { return kind_; }
  // What went wrong, in one sentence, without a trailing period.
  const std::string& message() const noexcept { return message_; }
  // What the user can do about it; may be empty.
  const std::string& hint() const noexcept { return hint_; }
  // What stack was doing, outermost first ("service \"web\"", "create container").
  const std::vector<std::string>& context() const noexcept { return context_; }
  const SourceLocation& location() const noexcept { return location_; }

  // Adds the innermost-but-one frame of context: callers wrap as the error travels up.
  Error& addContext(std::string frame);
  Error& setLocation(SourceLocation location);
  Error& setHint(std::string hint);

  // "file:line:col: services.web.ports[0]: message" or "context: context: message".
  // The hint is not included; see describe().
  const char* what() const noexcept override;
  // The full text for people: what(), then "hint: ..." on its own line when there is one.
  std::string describe() const;

 private:
  void render();

  ErrorKind kind_;
  std::string message_;
  std::string hint_;
  std::vector<std::string> context_;
  SourceLocation location_;
  std::string rendered_;
};

// An error in the compose model, always with a location (file and key path at least).
Error configError(SourceLocation location, std::string message, std::string hint = {});

// Human name of an error kind, used in JSON output ("config", "engine-unavailable", ...).
const char* errorKindName(ErrorKind kind) noexcept;

}  // namespace stack
