// privateexport.js — the exports of the private release on the page: its Markdown and JSON copied
// or downloaded, and a chart downloaded as a PNG (charts.js draws it), named for the file and ε.
import { el } from './view.js';
import { privateChartPng } from './charts.js';

// Saves the blob under that name through a link clicked for it; its URL is freed a minute later.
function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// "hillstrom-private-eps1": the file's name without its extension, and the ε.
function exportName(result) {
  const stem = (result.input?.file || 'release').replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_');
  const eps = String(result.privacy.epsilon_requested).replace(/[^\w.-]+/g, '_');
  return `${stem}-private-eps${eps}`;
}

// output: the element privateview.js renders the release in (its buttons carry data-export);
// released(): the release on the page, {result, text, markdown, label}, or null.
export function initReleaseExports({ output, released }) {
  function exportStatus(text) {
    const status = output.querySelector('.export-status');
    if (status) status.textContent = text;
  }

  async function copyText(kind, value) {
    try {
      await navigator.clipboard.writeText(value);
      exportStatus('Copied.');
    } catch {
      // No clipboard permission: select the text so that Ctrl+C (⌘C) copies it.
      const area = output.querySelector(`textarea[data-export-text="${kind}"]`);
      area?.focus();
      area?.select();
      exportStatus('Selected: press Ctrl+C (⌘C on a Mac) to copy.');
    }
  }

  async function onExport(button) {
    const shown = released();
    if (!shown) return;
    const base = exportName(shown.result);
    switch (button.dataset.export) {
      case 'markdown-copy': return copyText('markdown', shown.markdown);
      case 'json-copy': return copyText('json', shown.text);
      case 'markdown-download':
        return download(new Blob([shown.markdown], { type: 'text/markdown;charset=utf-8' }), `${base}.md`);
      case 'json-download':
        return download(new Blob([shown.text], { type: 'application/json' }), `${base}.json`);
      case 'png': {
        const index = Number(button.dataset.index);
        const metric = shown.result.metrics[index];
        const file = shown.result.input?.file || 'the file';
        const blob = await privateChartPng(index, {
          caption: [shown.label, `${metric.name} by arm · ${file} · noisy values only · Causeway`],
          description: `${shown.label}: ${metric.name} by arm, from ${file}. Only noisy values are shown; intervals include the noise.`,
        });
        if (shown !== released()) return;
        return download(blob, `${base}-${metric.name.replace(/[^\w.-]+/g, '_')}.png`);
      }
      default:
        return undefined;
    }
  }

  output.addEventListener('click', (event) => {
    const button = event.target.closest('button[data-export]');
    if (!button) return;
    onExport(button).catch((err) => exportStatus(`Could not export: ${err.message ?? err}`));
  });
}
