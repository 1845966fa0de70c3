// "Two tabs, two patients": when this browser has another patient's record open in another tab,
// every such tab says so, so nobody writes on one patient's record thinking it is another's.
// Pages with the patient banner carry data-openward-patient-id and -name; the tabs tell each other
// over a BroadcastChannel (same origin only) which patient they show, and forget a tab that closes
// or moves on. The warning goes in the banner's live region (role="alert"), so it is announced.
const banner = document.querySelector('[data-openward-patient-id]');
const warning = document.querySelector('[data-openward-other-patient]');

if (banner && warning && 'BroadcastChannel' in window) {
  const me = {
    tab: crypto.randomUUID(),
    patient: banner.dataset.openwardPatientId,
    name: banner.dataset.openwardPatientName,
  };
  const others = new Map(); // tab id -> { patient, name }
  const channel = new BroadcastChannel('openward-patient-tabs');

  const show = () => {
    const names = [...new Set([...others.values()].filter((o) => o.patient !== me.patient).map((o) => o.name))];
    warning.textContent = names.length === 0 ? ''
      : names.length === 1 ? `You have another patient's record open in another tab: ${names[0]}`
        : `You have other patients' records open in other tabs: ${names.join('; ')}`;
    warning.classList.toggle('openward-banner__other-patient--shown', names.length > 0);
  };

  channel.addEventListener('message', ({ data }) => {
    if (!data || data.tab === me.tab) {
      return;
    }

    if (data.type === 'gone') {
      others.delete(data.tab);
    } else if (typeof data.patient === 'string' && typeof data.name === 'string') {
      others.set(data.tab, { patient: data.patient, name: data.name });
      if (data.type === 'open') {
        channel.postMessage({ type: 'here', ...me }); // so the newly opened tab learns of this one
      }
    }

    show();
  });

  // pagehide, not unload: it also fires when the page goes into the back-forward cache.
  window.addEventListener('pagehide', () => channel.postMessage({ type: 'gone', tab: me.tab }));
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) {
      channel.postMessage({ type: 'open', ...me });
    }
  });
  channel.postMessage({ type: 'open', ...me });
}
