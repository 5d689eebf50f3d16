// Calls to the REST API under /api/v1 with the session cookie; state-changing requests repeat the
// ocean_csrf cookie in X-CSRF-Token. Errors arrive as problem+json and become ApiError, whose
// field names the form field at fault.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.field = problem ? problem.field : null;
  }
}

let unauthorized = () => {};

export function onUnauthorized(fn) {
  unauthorized = fn;
}

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)ocean_csrf=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken();
  const res = await fetch('/api/v1' + path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401 && path !== '/session') unauthorized();
    throw new ApiError(res.status, data || { detail: text });
  }
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body);
export const del = (path) => api('DELETE', path);
export const patch = (path, body) => api('PATCH', path, body);
export const enc = encodeURIComponent;
