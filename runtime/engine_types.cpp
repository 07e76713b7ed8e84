// Anchors the stack_runtime library; the value types are header-only.
#include "runtime/engine.hpp"
