#pragma once
// What the server needs from a live connection to drain it. Connections register with the
// worker of their thread and are only touched on that thread.
namespace parley::net {

class Connection {
 public:
  virtual ~Connection() = default;
  // Planned shutdown: finish what is in flight, then close (WebSockets: close code 1001).
  virtual void drain() = 0;
  // The deadline passed: close now.
  virtual void abort() = 0;
};

}  // namespace parley::net
