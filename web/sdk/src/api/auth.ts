// Accounts: sign-up, login (with TOTP), refresh, logout, sessions, mail flows, TOTP MFA.

import type { Http } from "../http.js";
import { seg } from "../http.js";
import type { TokenManager } from "../token_manager.js";
import type { Page, PageQuery, SessionInfo, TokenPair, TotpEnrollment, User, UserWithTokens } from "../types.js";

export interface SignupInput {
  email: string;
  password: string;
  username: string;
  display_name?: string;
}

export interface LoginInput {
  /** Email or username. */
  login: string;
  password: string;
  /** A 6-digit TOTP code or a recovery code, when the account has MFA (else 401 `mfa_required`). */
  totp?: string;
  /**
   * The `device_token` of an earlier login on this device (clients without cookies): a login from
   * a known device is not refused by limits that others' failed attempts filled.
   */
  device_token?: string;
}

export class AuthApi {
  constructor(private readonly http: Http, private readonly tokens: TokenManager) {}

  /** Creates the account and signs in (the tokens are stored). */
  async signup(input: SignupInput): Promise<UserWithTokens> {
    const r = await this.http.request<UserWithTokens>("POST", "/v1/auth/signup", { body: input, auth: false });
    await this.tokens.signIn(r);
    return r;
  }

  /** Signs in (the tokens are stored). 401 `mfa_required`: ask for a code and call again with `totp`. */
  async login(input: LoginInput): Promise<UserWithTokens> {
    const r = await this.http.request<UserWithTokens>("POST", "/v1/auth/login", { body: input, auth: false });
    await this.tokens.signIn(r);
    return r;
  }

  /** Refreshes the access token now (the SDK also does it by itself before expiry and on a 401). */
  async refresh(): Promise<void> {
    await this.tokens.refresh();
  }

  /** Ends this session on the server and forgets the tokens (also when the server call fails). */
  async logout(): Promise<void> {
    try {
      await this.tokens.load();
      if (this.tokens.tokens) {
        await this.http.request<void>("POST", "/v1/auth/logout");
      }
    } finally {
      await this.tokens.signOut();
    }
  }

  /** One page of the caller's live sessions, newest sign-in first (pass `next` back as `cursor`). */
  sessions(q: PageQuery = {}): Promise<Page<SessionInfo>> {
    return this.http.request("GET", "/v1/auth/sessions", { query: { limit: q.limit, cursor: q.cursor } });
  }

  /** Every live session, page after page. */
  async *allSessions(pageSize = 100): AsyncGenerator<SessionInfo> {
    let cursor: string | undefined;
    do {
      const page = await this.sessions({ limit: pageSize, cursor });
      yield* page.items;
      cursor = page.next ?? undefined;
    } while (cursor !== undefined);
  }

  revokeSession(id: string): Promise<void> {
    return this.http.request("DELETE", `/v1/auth/sessions/${seg(id)}`);
  }

  /** Confirms the email address with the `token` of the mailed link. */
  verifyEmail(token: string): Promise<User> {
    return this.http.request("POST", "/v1/auth/verify-email/confirm", { body: { token }, auth: false });
  }

  resendVerification(): Promise<void> {
    return this.http.request("POST", "/v1/auth/verify-email/resend");
  }

  /** Always succeeds (202), whether or not the address has an account. */
  requestPasswordReset(email: string): Promise<void> {
    return this.http.request("POST", "/v1/auth/password-reset/request", { body: { email }, auth: false });
  }

  /** Sets the new password; every session, this one included, is revoked. */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    await this.http.request<void>("POST", "/v1/auth/password-reset/confirm", { body: { token, password }, auth: false });
  }

  requestEmailChange(newEmail: string, password: string): Promise<void> {
    return this.http.request("POST", "/v1/auth/email-change/request", { body: { new_email: newEmail, password } });
  }

  confirmEmailChange(token: string): Promise<User> {
    return this.http.request("POST", "/v1/auth/email-change/confirm", { body: { token }, auth: false });
  }

  /** Starts TOTP enrolment: a secret, its otpauth URI and a QR code (SVG). */
  enrollTotp(): Promise<TotpEnrollment> {
    return this.http.request("POST", "/v1/auth/mfa/totp/enroll");
  }

  /** Confirms enrolment with a current code; returns the 10 single-use recovery codes. */
  activateTotp(code: string): Promise<{ recovery_codes: string[] }> {
    return this.http.request("POST", "/v1/auth/mfa/totp/activate", { body: { code } });
  }

  disableTotp(password: string, code: string): Promise<void> {
    return this.http.request("POST", "/v1/auth/mfa/totp/disable", { body: { password, code } });
  }
}

export type { TokenPair };
