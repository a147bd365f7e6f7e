#pragma once
// Privacy: erasing an account (DELETE /v1/me, `parley user delete`) and exporting a user's data
// (GET /v1/me/export).
#include "auth/auth_service.hpp"
#include "net/router.hpp"

namespace parley::auth {

// Erases the personal data of an account and ends its sessions; the row stays (deleted_at set,
// display name "Deleted user") so that messages can still show their sender. False when there is
// no such account or it was already erased.
bool erase_account(store::Tx& tx, std::int64_t user_id);

// Registers the account's own export sections (account, mfa, sessions) and the routes
// DELETE /v1/me and GET /v1/me/export.
void add_privacy_routes(net::Router& router, AuthService& auth);

}  // namespace parley::auth
