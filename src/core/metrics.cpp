#include "core/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace parley::metrics {
namespace {

void atomic_add(std::atomic<double>& a, double v) {
  double cur = a.load(std::memory_order_relaxed);
  while (!a.compare_exchange_weak(cur, cur + v, std::memory_order_relaxed)) {
  }
}

std::string format_value(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

std::string escape_label(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// {a="1",b="2"} with an optional extra label (le for buckets).
std::string label_set(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += fmt::format("{}=\"{}\"", names[i], escape_label(values[i]));
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += fmt::format("{}=\"{}\"", extra_name, extra_value);
  }
  out += '}';
  return out;
}

void header(std::string& out, const std::string& name, const std::string& help, std::string_view type) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, escape_help(help), name, type);
}

template <class M>
std::unique_ptr<M> make_metric(const std::vector<double>&) {
  return std::make_unique<M>();
}
template <>
std::unique_ptr<Histogram> make_metric<Histogram>(const std::vector<double>& bounds) {
  return std::make_unique<Histogram>(bounds);
}

}  // namespace

void Counter::inc(double v) { atomic_add(value_, v); }
void Gauge::inc(double v) { atomic_add(value_, v); }

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), v);
  buckets_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, v);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  std::uint64_t running = 0;
  s.cumulative.reserve(bounds_.size() + 1);
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

const std::vector<double>& latency_buckets() {
  static const std::vector<double> b{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                     0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5, 5.0, 10.0};
  return b;
}

template <class Metric>
Metric& Family<Metric>::with(const std::vector<std::string>& values) {
  if (values.size() != labels_.size())
    throw std::invalid_argument("metric " + name_ + ": expected " + std::to_string(labels_.size()) + " label values");
  {
    std::shared_lock lock(mutex_);
    if (auto it = children_.find(values); it != children_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  auto& slot = children_[values];
  if (!slot) slot = make_metric<Metric>(bounds_);
  return *slot;
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

template <class M>
Family<M>& Registry::add(std::vector<std::unique_ptr<Family<M>>>& into, Kind kind, std::unique_ptr<Family<M>> f) {
  std::lock_guard lock(mutex_);
  for (auto& existing : into)
    if (existing->name() == f->name()) return *existing;
  order_.emplace_back(kind, f.get());
  into.push_back(std::move(f));
  return *into.back();
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return add(counters_, Kind::counter, std::make_unique<Family<Counter>>(name, help, std::move(labels)));
}
Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
  return add(gauges_, Kind::gauge, std::make_unique<Family<Gauge>>(name, help, std::move(labels)));
}
Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help,
                                       std::vector<std::string> labels, std::vector<double> bounds) {
  return add(histograms_, Kind::histogram,
             std::make_unique<Family<Histogram>>(name, help, std::move(labels), std::move(bounds)));
}

std::string Registry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(8192);
  for (const auto& [kind, ptr] : order_) {
    switch (kind) {
      case Kind::counter: {
        const auto& f = *static_cast<const Family<Counter>*>(ptr);
        header(out, f.name(), f.help(), "counter");
        f.for_each([&](const auto& values, const Counter& c) {
          out += fmt::format("{}{} {}\n", f.name(), label_set(f.labels(), values), format_value(c.value()));
        });
        break;
      }
      case Kind::gauge: {
        const auto& f = *static_cast<const Family<Gauge>*>(ptr);
        header(out, f.name(), f.help(), "gauge");
        f.for_each([&](const auto& values, const Gauge& g) {
          out += fmt::format("{}{} {}\n", f.name(), label_set(f.labels(), values), format_value(g.value()));
        });
        break;
      }
      case Kind::histogram: {
        const auto& f = *static_cast<const Family<Histogram>*>(ptr);
        header(out, f.name(), f.help(), "histogram");
        f.for_each([&](const auto& values, const Histogram& h) {
          const auto s = h.snapshot();
          for (std::size_t i = 0; i < h.bounds().size(); ++i)
            out += fmt::format("{}_bucket{} {}\n", f.name(),
                               label_set(f.labels(), values, "le", format_value(h.bounds()[i])), s.cumulative[i]);
          out += fmt::format("{}_bucket{} {}\n", f.name(), label_set(f.labels(), values, "le", "+Inf"), s.count);
          out += fmt::format("{}_sum{} {}\n", f.name(), label_set(f.labels(), values), format_value(s.sum));
          out += fmt::format("{}_count{} {}\n", f.name(), label_set(f.labels(), values), s.count);
        });
        break;
      }
    }
  }
  return out;
}

}  // namespace parley::metrics
