import type { ConsoleLocation } from './console-href.js';
import { type ConsoleModel, humanUsers } from './console-model.js';
import { escapeHtml } from './escape-html.js';
import type { Regions } from './render-regions.js';

function renderUserSwitcher(model: ConsoleModel, location: ConsoleLocation): string {
  const options = humanUsers(model)
    .map((u) => {
      const role = model.roles[u.id];
      const selected = u.id === location.user ? ' selected' : '';
      const label = role ? `${u.name} — ${role}` : u.name;
      return `<option value="${escapeHtml(u.id)}" data-name="${escapeHtml(u.name)}"${selected}>${escapeHtml(label)}</option>`;
    })
    .join('');
  return `<label class="switcher"><span>You are</span><select id="user-switcher" aria-label="Act as">${options}</select></label>`;
}

function renderScenarios(model: ConsoleModel): string {
  if (model.scenarios.length === 0) return '';
  const buttons = model.scenarios
    .map(
      (s) =>
        `<button type="button" class="scenario" data-scenario="${escapeHtml(s.id)}"${s.hint ? ` title="${escapeHtml(s.hint)}"` : ''}>${escapeHtml(s.label)}</button>`,
    )
    .join('');
  return `<section class="controls" aria-label="Scenario controls"><h3>Scenario</h3>${buttons}</section>`;
}

function renderConfirmDialog(): string {
  return `<dialog id="confirm-dialog" aria-labelledby="confirm-title">
<form method="dialog" class="confirm">
<h2 id="confirm-title" class="confirm-title"></h2>
<div class="confirm-text"></div>
<div class="confirm-actions"><button value="deny" class="btn confirm-deny"></button><button value="confirm" class="btn confirm-ok"></button></div>
</form></dialog>`;
}

/** The whole page; scripts and styles are separate files so the CSP can forbid inline script. */
export function renderPage(model: ConsoleModel, location: ConsoleLocation, regions: Regions): string {
  const channel = model.slack.channels.find((c) => c.id === location.channel);
  const channelName = channel?.name ?? location.channel;
  const prefix = location.channel.startsWith('D') ? '@' : '#';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${prefix}${channelName} · ${model.title}`)}</title>
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console-client.js" defer></script>
</head>
<body data-user="${escapeHtml(location.user)}" data-channel="${escapeHtml(location.channel)}" data-thread="${escapeHtml(location.thread ?? '')}">
<div class="app${location.thread ? ' with-thread' : ''}">
<aside class="sidebar">
<div class="workspace">${escapeHtml(model.slack.teamDomain)}<small>${escapeHtml(model.title)}</small></div>
${renderUserSwitcher(model, location)}
<h3>Channels</h3>
<nav class="channels" id="region-channels">${regions.channels}</nav>
${renderScenarios(model)}
${model.argocdApps ? `<section class="controls argocd-apps" aria-label="Argo CD applications"><h3>Argo CD</h3><div id="region-argocd">${regions.argocd}</div></section>` : ''}
<div class="live" id="live-status" title="Live updates">● live</div>
</aside>
<main class="channel">
<header class="channel-head"><h1><span class="hash">${prefix}</span>${escapeHtml(channelName)}</h1></header>
<div class="timeline" id="region-timeline" aria-live="polite">${regions.timeline}</div>
<form class="composer" id="composer" autocomplete="off">
<input id="composer-input" name="text" placeholder="${escapeHtml(`Message ${prefix}${channelName}, or type /deploy-status or /deploy-freeze`)}" aria-label="Message or slash command">
<button type="submit" class="btn btn-primary">Send</button>
</form>
</main>
<aside class="thread" id="region-thread">${regions.thread}</aside>
</div>
<div id="region-modal" data-modal-key="${escapeHtml(regions.modalKey)}">${regions.modal}</div>
${renderConfirmDialog()}
<div id="toast" role="status" aria-live="polite"></div>
</body>
</html>`;
}
