#pragma once
// The mailer: a dedicated thread with a bounded queue sends each Mail over SMTP (libcurl) when
// an SMTP URL is configured, else writes it to the outbox folder as an .eml file. Up to three
// attempts with backoff; failures are logged with the message id, never the body.
// send() only queues, so it is safe (and cheap) on an I/O thread.
#include "mail/message.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

namespace parley::mail {

struct MailerOptions {
  std::string smtp_url;                 // smtp:// or smtps://, user:pass in the URL; "" = outbox
  std::string from;                     // "Name <addr>"
  std::filesystem::path outbox_dir;     // DATA/outbox
  std::size_t queue_limit = 1000;
  int attempts = 3;
  std::chrono::milliseconds backoff{1000};  // doubled after each failed attempt
};

class Mailer {
 public:
  explicit Mailer(MailerOptions options);
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  // Queues the mail; false (and a log line) when the queue is full or the mailer stopped.
  bool send(Mail mail);
  // Sends what is queued (one attempt each once stopping), then ends the thread.
  void stop();

  bool uses_smtp() const { return !options_.smtp_url.empty(); }
  const std::filesystem::path& outbox_dir() const { return options_.outbox_dir; }

 private:
  struct Item {
    Mail mail;
    std::string id;
  };
  void loop();
  void deliver(const Item& item);  // throws on failure
  void send_smtp(const Item& item, const std::string& message);
  void write_outbox(const Item& item, const std::string& message);

  MailerOptions options_;
  std::string host_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace parley::mail
