// Verifies Parley access tokens with npm `jose` against the server's published JWKS: an
// implementation independent of Parley's own. Used by tests/integration/accounts_jwt_interop_test.cpp.
//   node verify-jwt.mjs JWKS_URL ISSUER TOKEN...
// Prints one JSON line per token: {"ok":true,"kid":…,"payload":{…}} or {"ok":false,"error":…}.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const [jwksUrl, issuer, ...tokens] = process.argv.slice(2);
if (!jwksUrl || !issuer || tokens.length === 0) {
  console.error('usage: node verify-jwt.mjs JWKS_URL ISSUER TOKEN...');
  process.exit(2);
}
const jwks = createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 0 });
for (const token of tokens) {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer, algorithms: ['EdDSA'] });
    console.log(JSON.stringify({ ok: true, kid: protectedHeader.kid, alg: protectedHeader.alg, payload }));
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: e.code ?? e.name }));
  }
}
