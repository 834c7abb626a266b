// The console's only script. No framework, no build: the server renders every piece of HTML (escaped),
// this file swaps those pieces in live and turns clicks into JSON POSTs to the console's routes.

(() => {
  const page = document.body;
  const live = document.getElementById('live-status');
  const toastBox = document.getElementById('toast');
  const confirmDialog = document.getElementById('confirm-dialog');
  const lastHtml = new Map();

  function where() {
    return { user: page.dataset.user, channel: page.dataset.channel, thread: page.dataset.thread || '' };
  }

  function query(overrides = {}) {
    const location = { ...where(), ...overrides };
    const params = new URLSearchParams({ user: location.user, channel: location.channel });
    if (location.thread) params.set('thread', location.thread);
    return params.toString();
  }

  let toastTimer;
  function toast(text, kind = 'info') {
    toastBox.textContent = text;
    toastBox.className = `show ${kind}`;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      toastBox.className = '';
    }, 4000);
  }

  async function post(path, payload) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: where().user, ...payload }),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
    return answer;
  }

  // --- live regions -------------------------------------------------------------------------------

  const timeline = document.getElementById('region-timeline');

  function nearBottom(element) {
    return element.scrollHeight - element.scrollTop - element.clientHeight < 120;
  }

  function swap(id, html) {
    const element = document.getElementById(id);
    if (!element || lastHtml.get(id) === html) return false;
    lastHtml.set(id, html);
    element.innerHTML = html;
    return true;
  }

  function swapModal(regions) {
    const root = document.getElementById('region-modal');
    if (root.dataset.modalKey === regions.modalKey) return;
    root.dataset.modalKey = regions.modalKey;
    root.innerHTML = regions.modal;
    const first = root.querySelector('.input-field[aria-invalid="true"], .input-field');
    if (first) first.focus();
  }

  function applyRegions(regions) {
    const stick = nearBottom(timeline);
    swap('region-channels', regions.channels);
    swap('region-argocd', regions.argocd);
    if (swap('region-timeline', regions.timeline) && stick) timeline.scrollTop = timeline.scrollHeight;
    swap('region-thread', regions.thread);
    swapModal(regions);
    highlightTarget(false);
    page.dataset.refreshed = String(Date.now());
  }

  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      do {
        again = false;
        const response = await fetch(`/console/regions?${query()}`);
        if (response.ok) applyRegions(await response.json());
      } while (again);
    } catch (error) {
      toast(`Refresh failed: ${error.message}`, 'error');
    } finally {
      refreshing = false;
    }
  }

  function connect() {
    const events = new EventSource('/console/events');
    events.addEventListener('open', () => {
      live.classList.remove('off');
      page.dataset.live = 'on';
    });
    events.addEventListener('change', () => refresh());
    events.addEventListener('error', () => {
      live.classList.add('off');
      page.dataset.live = 'off';
    });
  }

  // --- confirm dialogs ----------------------------------------------------------------------------

  function askConfirm(confirm) {
    confirmDialog.querySelector('.confirm-title').textContent = confirm.title;
    // textHtml was rendered and escaped by the server, like every other region.
    confirmDialog.querySelector('.confirm-text').innerHTML = confirm.textHtml;
    const ok = confirmDialog.querySelector('.confirm-ok');
    ok.textContent = confirm.confirm;
    ok.className = `btn confirm-ok${confirm.style ? ` btn-${confirm.style}` : ' btn-primary'}`;
    confirmDialog.querySelector('.confirm-deny').textContent = confirm.deny;
    confirmDialog.returnValue = '';
    return new Promise((resolve) => {
      confirmDialog.addEventListener('close', () => resolve(confirmDialog.returnValue === 'confirm'), {
        once: true,
      });
      confirmDialog.showModal();
      ok.focus();
    });
  }

  // --- actions ------------------------------------------------------------------------------------

  async function pressButton(button) {
    const message = button.closest('[data-ts]');
    if (!message) return;
    const confirm = button.dataset.confirm ? JSON.parse(button.dataset.confirm) : undefined;
    if (confirm && !(await askConfirm(confirm))) return;
    // Slack opens a link button's URL and still tells the app about the click.
    if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
    button.disabled = true;
    try {
      await post('/console/click', {
        channel: message.dataset.channel || where().channel,
        ts: message.dataset.ts,
        actionId: button.dataset.actionId,
        blockId: button.dataset.blockId,
      });
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      button.disabled = false;
      refresh();
    }
  }

  async function submitModal(form) {
    const values = {};
    for (const input of form.querySelectorAll('[data-input-action-id]')) {
      const blockId = input.dataset.blockId;
      values[blockId] = { ...values[blockId], [input.dataset.inputActionId]: input.value };
    }
    const submit = form.querySelector('[data-submit-view]');
    if (submit) submit.disabled = true;
    try {
      const answer = await post('/console/submit-view', { viewId: form.dataset.viewId, values });
      if (answer.message) toast(answer.message, 'error');
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      if (submit) submit.disabled = false;
      refresh();
    }
  }

  async function closeModal(form) {
    await post('/console/close-view', { viewId: form.dataset.viewId }).catch((e) =>
      toast(e.message, 'error'),
    );
    refresh();
  }

  async function runScenario(button) {
    button.disabled = true;
    try {
      const answer = await post(`/console/scenario/${button.dataset.scenario}`, {});
      toast(answer.message || 'Done');
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      button.disabled = false;
    }
  }

  async function compose(form) {
    const input = form.querySelector('input');
    const text = input.value.trim();
    if (!text) return;
    input.disabled = true;
    try {
      await post('/console/compose', { channel: where().channel, text });
      input.value = '';
    } catch (error) {
      toast(error.message, 'error');
    } finally {
      input.disabled = false;
      input.focus();
      refresh();
    }
  }

  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest('button[data-action-id]');
    if (button) return void pressButton(button);
    const scenario = target?.closest('button[data-scenario]');
    if (scenario) return void runScenario(scenario);
    const close = target?.closest('[data-close-view]');
    if (close) return void closeModal(close.closest('form[data-view-id]'));
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method === 'dialog') return;
    event.preventDefault();
    if (form.dataset.viewId) return void submitModal(form);
    if (form.id === 'composer') return void compose(form);
  });

  document.addEventListener('keydown', (event) => {
    const form = document.querySelector('#region-modal form[data-view-id]');
    if (event.key === 'Escape' && form && !confirmDialog.open) closeModal(form);
  });

  document.getElementById('user-switcher').addEventListener('change', (event) => {
    window.location.href = `/?${query({ user: event.target.value })}`;
  });

  function highlightTarget(scroll) {
    const id = window.location.hash.slice(1);
    const target = id ? document.getElementById(id) : null;
    if (!target) return false;
    target.classList.add('highlight');
    if (scroll) target.scrollIntoView({ block: 'center' });
    return true;
  }

  if (!highlightTarget(true)) timeline.scrollTop = timeline.scrollHeight;
  window.addEventListener('hashchange', () => highlightTarget(true));
  connect();
})();
