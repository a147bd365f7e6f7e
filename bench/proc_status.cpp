#include "proc_status.hpp"

#include <fstream>
#include <string>

namespace parley::bench {

long read_vm_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      try {
        return std::stol(line.substr(6));  // "VmRSS:    123456 kB"
      } catch (...) {
        return -1;
      }
    }
  }
  return -1;
}

}  // namespace parley::bench
