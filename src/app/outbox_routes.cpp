#include "app/outbox_routes.hpp"

#include "core/problem.hpp"
#include "mail/outbox.hpp"

#include <boost/json.hpp>

namespace parley::app {
namespace {

namespace asio = boost::asio;

boost::json::object summary(const mail::OutboxEntry& e) {
  boost::json::array links;
  for (const auto& l : mail::links_in(e.message.text)) links.emplace_back(l);
  return {{"id", e.id},
          {"to", e.message.to},
          {"from", e.message.from},
          {"subject", e.message.subject},
          {"created_at", e.created_at},
          {"links", std::move(links)}};
}

}  // namespace

void add_outbox_routes(net::Router& router, std::filesystem::path outbox_dir) {
  router.get("/dev/outbox", [outbox_dir](net::Request&) -> asio::awaitable<net::Response> {
    boost::json::array items;
    for (const auto& e : mail::list_outbox(outbox_dir)) items.push_back(summary(e));
    co_return net::Response::json(200, {{"items", std::move(items)}, {"next", nullptr}});
  });
  router.get("/dev/outbox/{id}", [outbox_dir](net::Request& req) -> asio::awaitable<net::Response> {
    auto entry = mail::read_outbox(outbox_dir, std::string(req.param("id")));
    if (!entry) throw ApiError(problems::not_found("no such mail"));
    auto o = summary(*entry);
    o["text"] = entry->message.text;
    o["html"] = entry->message.html;
    o["date"] = entry->message.date;
    o["message_id"] = entry->message.message_id;
    co_return net::Response::json(200, o);
  });
}

}  // namespace parley::app
