#pragma once
// The account mails: subject, text and HTML bodies, with the app name and the link.
#include "mail/message.hpp"

#include <string>
#include <string_view>

namespace parley::auth {

struct MailContext {
  std::string app_name;
  std::string public_url;  // no trailing slash
};

// HTML text/attribute escaping (& < > " ').
std::string html_escape(std::string_view s);

mail::Mail verification_mail(const MailContext& ctx, std::string_view to, std::string_view name, std::string_view token);
mail::Mail password_reset_mail(const MailContext& ctx, std::string_view to, std::string_view name,
                               std::string_view token);
mail::Mail email_change_mail(const MailContext& ctx, std::string_view new_email, std::string_view name,
                             std::string_view token);
// To the old address once the change is confirmed.
mail::Mail email_changed_notice(const MailContext& ctx, std::string_view old_email, std::string_view name,
                                std::string_view new_email);
// To the address once the password was reset.
mail::Mail password_changed_notice(const MailContext& ctx, std::string_view to, std::string_view name);

}  // namespace parley::auth
