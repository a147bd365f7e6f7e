// The screens by route and sign-in state.

import { useEffect } from "preact/hooks";
import { ChatPage } from "./chat/ChatPage";
import { ConversationView } from "./chat/ConversationView";
import { ConnectionBanner } from "./components/ConnectionBanner";
import { t } from "./i18n";
import { ForgotPassword } from "./pages/ForgotPassword";
import { MailLink } from "./pages/MailLink";
import { Outbox } from "./pages/Outbox";
import { ResetPassword } from "./pages/ResetPassword";
import { SignIn } from "./pages/SignIn";
import { SignUp } from "./pages/SignUp";
import { match, navigate, route } from "./router";
import { authState, bootstrap } from "./state/session";
import { SettingsPage } from "./settings/SettingsPage";

const SIGNED_OUT_ONLY = new Set(["/sign-in", "/sign-up", "/forgot-password"]);

function Screen() {
  const { path } = route.value;
  const state = authState.value;

  // Pages that work signed in or not: the mailed links and the dev outbox.
  if (path === "/verify-email") return <MailLink kind="verify" />;
  if (path === "/confirm-email") return <MailLink kind="email-change" />;
  if (path === "/reset-password") return <ResetPassword />;
  if (path === "/outbox") return <Outbox />;

  if (state === "loading") return <p class="splash" role="status">{t("app.loading")}</p>;
  if (state === "unreachable") {
    return (
      <div class="splash" role="alert">
        <p>{t("err.network_error")}</p>
        <button type="button" class="button" onClick={() => void bootstrap()}>{t("conv.retry")}</button>
      </div>
    );
  }
  if (state === "signedOut") {
    if (path === "/sign-up") return <SignUp />;
    if (path === "/forgot-password") return <ForgotPassword />;
    return <SignIn />;
  }
  const room = match("/rooms/:id", path);
  if (room) return <ChatPage pane><ConversationView roomId={room.id} /></ChatPage>;
  if (path === "/settings") return <ChatPage pane><SettingsPage /></ChatPage>;
  return <ChatPage pane={false} />;
}

export function App() {
  const { path } = route.value;
  const state = authState.value;
  useEffect(() => {
    if (state === "signedIn" && SIGNED_OUT_ONLY.has(path)) navigate("/", { replace: true });
    if (state === "signedOut" && !SIGNED_OUT_ONLY.has(path) && !["/verify-email", "/confirm-email", "/reset-password", "/outbox"].includes(path)) {
      navigate("/sign-in", { replace: true });
    }
  }, [state, path]);
  return (
    <>
      <a class="skip-link" href="#main">{t("app.skip")}</a>
      {state === "signedIn" && <ConnectionBanner />}
      <Screen />
    </>
  );
}
