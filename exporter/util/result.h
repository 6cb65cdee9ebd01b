// Errors as values, in one shape: a Status is ok or says what went wrong, and a Result<T> is a
// T or such a Status. The message is short and names what was wrong (never a body, a secret
// or a URL's user info: callers redact before they build one). Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace gx {

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return {}; }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  // Empty when ok.
  const std::string& error() const { return error_; }
  // The same failure, with `context` in front ("page 2: " + error); ok stays ok.
  Status Prefixed(const std::string& context) const { return ok() ? *this : Error(context + error_); }

 private:
  explicit Status(std::string message) : failed_(true), error_(std::move(message)) {}
  bool failed_ = false;
  std::string error_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: a value converts, as with optional
  Result(Status failure) : status_(std::move(failure)) {  // NOLINT: so does a failed Status
    if (status_.ok()) status_ = Status::Error("no value");  // an ok Status carries no T
  }
  static Result Error(std::string message) { return Result(Status::Error(std::move(message))); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Status& status() const { return status_; }
  const std::string& error() const { return status_.error(); }  // empty when ok

  // Only when ok().
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }
  T value_or(T fallback) const& { return value_ ? *value_ : std::move(fallback); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace gx
