// One Server-Sent Events stream (/api/v1/events) per page; lists subscribe to the topics they show
// and refetch when one changes, so nothing needs a reload.

let source = null;
const subscribers = new Set();

export function connect() {
  if (source) return;
  source = new EventSource('/api/v1/events');
  source.addEventListener('changed', (e) => {
    let topic;
    try {
      topic = JSON.parse(e.data).topic;
    } catch {
      return;
    }
    for (const s of subscribers) if (s.topics.includes(topic)) s.run();
  });
}

export function disconnect() {
  if (source) source.close();
  source = null;
}

/** Calls fn (at most every 300 ms) when one of the topics changes; returns the unsubscribe. */
export function subscribe(topics, fn) {
  let timer = null;
  const s = {
    topics,
    run: () => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, 300);
    },
  };
  subscribers.add(s);
  return () => {
    subscribers.delete(s);
    if (timer) clearTimeout(timer);
  };
}
