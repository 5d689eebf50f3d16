// Every visible string goes through t(key): dictionaries in /assets/i18n/{en,ko}.json, the
// language from the browser unless the user picked one (kept in localStorage).

const dicts = {};
let current = 'en';
export const LANGUAGES = [
  ['en', 'English'],
  ['ko', '한국어'],
];

export async function loadLanguages() {
  const loaded = await Promise.all(
    LANGUAGES.map(([code]) => fetch(`/assets/i18n/${code}.json`).then((r) => r.json())),
  );
  LANGUAGES.forEach(([code], i) => (dicts[code] = loaded[i]));
  const saved = localStorage.getItem('ocean.lang');
  const browser = (navigator.language || 'en').toLowerCase().startsWith('ko') ? 'ko' : 'en';
  setLanguage(saved && dicts[saved] ? saved : browser, false);
}

export function language() {
  return current;
}

export function setLanguage(code, save = true) {
  current = dicts[code] ? code : 'en';
  document.documentElement.lang = current;
  if (save) localStorage.setItem('ocean.lang', current);
}

export function t(key, vars) {
  let s = (dicts[current] && dicts[current][key]) ?? (dicts.en && dicts.en[key]) ?? key;
  if (vars) {
    for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  }
  return s;
}
