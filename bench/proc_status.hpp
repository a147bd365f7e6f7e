#pragma once
// Reads a process's resident set size from /proc/PID/status (VmRSS, KiB); -1 when unreadable.
namespace parley::bench {

long read_vm_rss_kib(int pid);

}  // namespace parley::bench
