#pragma once
// --dev only: GET /dev/outbox and GET /dev/outbox/{id}, the mails written to DATA/outbox/ when no
// SMTP server is configured, so a developer can follow the links in them.
#include "net/router.hpp"

#include <filesystem>

namespace parley::app {

void add_outbox_routes(net::Router& router, std::filesystem::path outbox_dir);

}  // namespace parley::app
