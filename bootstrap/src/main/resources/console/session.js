// The signed-in token: in this tab's sessionStorage only (gone when the tab closes, never in a cookie,
// the URL or localStorage), sent to this service alone as Authorization: Bearer.

const TOKEN = 'credits.console.token';

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function signIn(jwt) {
  sessionStorage.setItem(TOKEN, jwt);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN);
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith('credits.console.')) {
      sessionStorage.removeItem(key);
    }
  }
}

/** What the token says about its caller, read without verifying it: only to choose what to offer; the API decides. */
export function caller(jwt = token()) {
  const claims = jwt === null ? null : payload(jwt);
  if (claims === null) {
    return null;
  }
  const scopes = new Set([
    ...(typeof claims.scope === 'string' ? claims.scope.split(' ') : []),
    ...(Array.isArray(claims.scp) ? claims.scp : []),
    ...(Array.isArray(claims.roles) ? claims.roles : []),
  ].filter((scope) => typeof scope === 'string' && scope !== ''));
  return {
    userId: typeof claims.sub === 'string' ? claims.sub : (typeof claims.userId === 'string' ? claims.userId : null),
    admin: scopes.has('credits:admin'),
    scopes: [...scopes],
    expiresAt: typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null,
  };
}

/** A pasted token as it is sent: surrounding spaces and a leading "Bearer " dropped. */
export function cleanToken(text) {
  return text.trim().replace(/^Bearer\s+/i, '').trim();
}

function payload(jwt) {
  const parts = jwt.split('.');
  if (parts.length !== 3) {
    return null;
  }
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    return claims !== null && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}
