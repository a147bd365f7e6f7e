#include "auth/mail_templates.hpp"

#include <fmt/format.h>

namespace parley::auth {
namespace {

std::string link(const MailContext& ctx, std::string_view page, std::string_view token) {
  return fmt::format("{}/{}?token={}", ctx.public_url, page, token);  // base64url needs no escaping
}

// A mail with a greeting, paragraphs, an optional button link, and a footer.
mail::Mail compose(const MailContext& ctx, std::string_view to, std::string subject, std::string_view name,
                   std::initializer_list<std::string> paragraphs, std::string_view action = {},
                   std::string_view url = {}) {
  mail::Mail m;
  m.to = std::string(to);
  m.subject = std::move(subject);
  m.text = fmt::format("Hello {},\n\n", name);
  m.html = fmt::format(
      "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n"
      "<body style=\"font-family:sans-serif;line-height:1.5\">\n<p>Hello {},</p>\n",
      html_escape(m.subject), html_escape(name));
  for (const auto& p : paragraphs) {
    m.text += p + "\n\n";
    m.html += "<p>" + html_escape(p) + "</p>\n";
  }
  if (!url.empty()) {
    m.text += fmt::format("{}:\n{}\n\n", action, url);
    m.html += fmt::format("<p><a href=\"{0}\">{1}</a></p>\n<p>Or copy this link: {0}</p>\n", html_escape(url),
                          html_escape(action));
  }
  m.text += fmt::format("— {}\n{}\n", ctx.app_name, ctx.public_url);
  m.html += fmt::format("<p>— {}<br>{}</p>\n</body></html>\n", html_escape(ctx.app_name), html_escape(ctx.public_url));
  return m;
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

mail::Mail verification_mail(const MailContext& ctx, std::string_view to, std::string_view name, std::string_view token) {
  return compose(ctx, to, fmt::format("Confirm your email address for {}", ctx.app_name), name,
                 {fmt::format("Please confirm that {} is your email address for your {} account.", to, ctx.app_name),
                  "The link works for 24 hours. If you did not sign up, ignore this mail."},
                 "Confirm your email address", link(ctx, "verify-email", token));
}

mail::Mail password_reset_mail(const MailContext& ctx, std::string_view to, std::string_view name,
                               std::string_view token) {
  return compose(ctx, to, fmt::format("Reset your {} password", ctx.app_name), name,
                 {fmt::format("Someone asked to reset the password of your {} account.", ctx.app_name),
                  "The link works for 1 hour and only once. Resetting signs you out everywhere. "
                  "If you did not ask for this, ignore this mail: your password stays as it is."},
                 "Choose a new password", link(ctx, "reset-password", token));
}

mail::Mail email_change_mail(const MailContext& ctx, std::string_view new_email, std::string_view name,
                             std::string_view token) {
  return compose(ctx, new_email, fmt::format("Confirm your new email address for {}", ctx.app_name), name,
                 {fmt::format("Please confirm that your {} account should use {} from now on.", ctx.app_name, new_email),
                  "The link works for 24 hours. If you did not ask for this, ignore this mail."},
                 "Confirm the new address", link(ctx, "confirm-email", token));
}

mail::Mail email_changed_notice(const MailContext& ctx, std::string_view old_email, std::string_view name,
                                std::string_view new_email) {
  return compose(ctx, old_email, fmt::format("Your {} email address was changed", ctx.app_name), name,
                 {fmt::format("The email address of your {} account was changed from {} to {}.", ctx.app_name,
                              old_email, new_email),
                  "If you did not do this, reset your password and contact the administrators."});
}

mail::Mail password_changed_notice(const MailContext& ctx, std::string_view to, std::string_view name) {
  return compose(ctx, to, fmt::format("Your {} password was changed", ctx.app_name), name,
                 {fmt::format("The password of your {} account was reset and every session was signed out.",
                              ctx.app_name),
                  "If you did not do this, reset your password again and contact the administrators."});
}

}  // namespace parley::auth
