#include "mail/mailer.hpp"

#include "core/clock.hpp"
#include "core/encoding.hpp"
#include "core/log.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <stdexcept>

namespace parley::mail {
namespace {

struct Upload {
  std::string_view data;
  std::size_t pos = 0;
};

std::size_t read_upload(char* buf, std::size_t size, std::size_t n, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  const std::size_t len = std::min(size * n, up->data.size() - up->pos);
  std::memcpy(buf, up->data.data() + up->pos, len);
  up->pos += len;
  return len;
}

// "Name <a@b>" -> "b"
std::string domain_of(const std::string& from) {
  const auto addr = address_of(from);
  const auto at = addr.rfind('@');
  return at == std::string::npos ? "localhost" : addr.substr(at + 1);
}

}  // namespace

Mailer::Mailer(MailerOptions options) : options_(std::move(options)), host_(domain_of(options_.from)) {
  if (uses_smtp()) curl_global_init(CURL_GLOBAL_DEFAULT);
  thread_ = std::thread([this] { loop(); });
}

Mailer::~Mailer() {
  stop();
  if (uses_smtp()) curl_global_cleanup();
}

bool Mailer::send(Mail mail) {
  Item item{std::move(mail), fmt::format("{:013}-{}", clock::unix_ms(clock::now()), encoding::hex(encoding::random_bytes(8)))};
  std::string id = item.id;
  {
    std::lock_guard lock(mu_);
    if (stopping_ || queue_.size() >= options_.queue_limit) {
      log::error("mail dropped: queue full or stopping", {{"mail_id", id}});
      return false;
    }
    queue_.push_back(std::move(item));
  }
  cv_.notify_one();
  return true;
}

void Mailer::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Mailer::loop() {
  for (;;) {
    Item item;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    auto wait = options_.backoff;
    for (int attempt = 1;; ++attempt) {
      try {
        deliver(item);
        log::info("mail sent", {{"mail_id", item.id}, {"via", uses_smtp() ? "smtp" : "outbox"}, {"attempt", attempt}});
        break;
      } catch (const std::exception& e) {
        bool stopping = false;
        {
          std::lock_guard lock(mu_);
          stopping = stopping_;
        }
        const bool last = attempt >= options_.attempts || stopping;
        log::write(last ? log::Level::error : log::Level::warn, last ? "mail failed" : "mail attempt failed",
                   {{"mail_id", item.id}, {"attempt", attempt}, {"error", e.what()}});
        if (last) break;
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, wait, [this] { return stopping_; });
        wait *= 2;
      }
    }
  }
}

void Mailer::deliver(const Item& item) {
  const auto message_id = fmt::format("{}@{}", item.id, host_);
  const auto message = render(item.mail, options_.from, message_id, clock::now());
  if (uses_smtp()) send_smtp(item, message);
  else write_outbox(item, message);
}

void Mailer::send_smtp(const Item& item, const std::string& message) {
  CURL* curl = curl_easy_init();
  if (!curl) throw std::runtime_error("curl_easy_init failed");
  Upload up{message};
  char error[CURL_ERROR_SIZE] = {};
  const std::string from = "<" + address_of(options_.from) + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, ("<" + address_of(item.mail.to) + ">").c_str());
  curl_easy_setopt(curl, CURLOPT_URL, options_.smtp_url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  if (options_.smtp_url.starts_with("smtp://")) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) throw std::runtime_error(error[0] ? error : curl_easy_strerror(rc));
}

void Mailer::write_outbox(const Item& item, const std::string& message) {
  namespace fs = std::filesystem;
  // The mails hold reset links: only the server's user may read them (0700 folder, 0600 files).
  if (fs::create_directories(options_.outbox_dir)) fs::permissions(options_.outbox_dir, fs::perms::owner_all);
  const auto final_path = options_.outbox_dir / (item.id + ".eml");
  const auto tmp = options_.outbox_dir / ("." + item.id + ".tmp");
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write);
    out.write(message.data(), static_cast<std::streamsize>(message.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, final_path);
}

}  // namespace parley::mail
