/**
 * `--report FILE.html`: one self-contained page for reviewing a run over many files. No network:
 * diff2html's stylesheet and script are inlined (the IO layer reads them), the report travels as
 * JSON inside the page, and every text goes into the DOM as text, never as markup.
 */
import type { Report } from './model.js';

export interface HtmlAssets {
  /** diff2html's CSS bundle. */
  css: string;
  /** diff2html's UI bundle (the base one: no syntax highlighting). */
  js: string;
}

/** `</script>` and `<!--` cannot end or bend the element that holds them. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/**
 * The document as the page reads it: the hunks, for SARIF fixes, would repeat every diff the page
 * already shows, in a file an organisation run makes large enough.
 */
function pageData(report: Report): unknown {
  return { ...report, files: report.files.map(({ hunks: _hunks, ...file }) => file) };
}

export function htmlReport(report: Report, assets: HtmlAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>dockmig review: ${report.summary.files} files</title>
<style>${assets.css.replace(/<\/style/gi, '<\\/style')}</style>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 2rem 4rem; color: #1f2328; }
h1 { font-size: 1.4rem; margin: 1.2rem 0 .6rem; }
table.counts { border-collapse: collapse; margin: .4rem 0 1rem; }
table.counts th, table.counts td { border: 1px solid #d0d7de; padding: .3rem .7rem; text-align: right; }
table.counts th:first-child, table.counts td:first-child { text-align: left; }
.bar { position: sticky; top: 0; background: #fff; padding: .6rem 0; border-bottom: 1px solid #d0d7de; z-index: 2; }
.bar input { width: 24rem; padding: .3rem .5rem; }
.file { border: 1px solid #d0d7de; border-radius: 6px; margin: 1rem 0; }
.file > header { padding: .5rem .8rem; background: #f6f8fa; border-bottom: 1px solid #d0d7de; display: flex; gap: .8rem; align-items: baseline; }
.file > header code { font-weight: 600; }
.status { font-size: .8rem; border-radius: 1rem; padding: 0 .5rem; border: 1px solid; }
.status.changed { color: #0969da; } .status.unchanged { color: #57606a; }
.status.error { color: #cf222e; } .status.skipped { color: #9a6700; } .status.incomplete { color: #cf222e; }
.findings { margin: .5rem .8rem; padding-left: 1.2rem; }
.findings .why { color: #57606a; font-size: .9em; }
.notfixed { color: #cf222e; }
.errors { margin: .5rem .8rem; color: #cf222e; }
.diff { margin: .5rem .8rem .8rem; }
[hidden] { display: none !important; }
</style>
</head>
<body>
<h1>dockmig review</h1>
<p id="total"></p>
<table class="counts" id="counts"><tr><th>files</th><th>changed</th><th>unchanged</th><th>skipped</th><th>errors</th><th>incomplete</th></tr></table>
<table class="counts" id="reasons" hidden><tr><th>errors and skips by reason</th><th>files</th></tr></table>
<table class="counts" id="repositories" hidden><tr><th>repository</th><th>outcome</th><th>detail</th></tr></table>
<div class="bar">
<label>Filter <input id="filter" type="search" placeholder="words of a path, transform, finding or status (changed, error, incomplete...)"></label>
<span id="shown"></span>
</div>
<main id="files"></main>
<script type="application/json" id="report">${scriptSafe(JSON.stringify(pageData(report)))}</script>
<script>${scriptSafe(assets.js)}</script>
<script>${scriptSafe(PAGE_SCRIPT)}</script>
</body>
</html>
`;
}

/** The page's own behaviour: build the tables and the file sections, and filter them. */
const PAGE_SCRIPT = `
(function () {
  var report = JSON.parse(document.getElementById('report').textContent);
  var s = report.summary;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function row(table, cells) {
    var tr = el('tr');
    cells.forEach(function (c) { tr.appendChild(el('td', '', String(c))); });
    table.appendChild(tr);
  }
  document.getElementById('total').textContent = s.files + ' files: ' + s.changed + ' changed, ' +
    s.unchanged + ' unchanged, ' + s.errors + ' error' + (s.errors === 1 ? '' : 's') +
    (s.skipped ? ', ' + s.skipped + ' skipped' : '') +
    (s.incomplete ? '; ' + s.incomplete + ' left incomplete' : '') + ' (' + report.mode + ', dockmig ' + report.tool.version + ')';
  row(document.getElementById('counts'), [s.files, s.changed, s.unchanged, s.skipped, s.errors, s.incomplete]);
  var reasons = Object.keys(s.byReason);
  if (reasons.length) {
    var rt = document.getElementById('reasons');
    rt.hidden = false;
    reasons.forEach(function (r) { row(rt, [r, s.byReason[r]]); });
  }
  if (report.repositories) {
    var rp = document.getElementById('repositories');
    rp.hidden = false;
    report.repositories.forEach(function (r) {
      row(rp, [r.repository, r.outcome, (r.pr ? '#' + r.pr.number + ' ' : '') + r.detail]);
    });
  }
  var main = document.getElementById('files');
  var sections = [];
  report.files.forEach(function (f) {
    var sec = el('section', 'file');
    sec.dataset.status = f.status;
    var head = el('header');
    head.appendChild(el('code', '', f.path));
    head.appendChild(el('span', 'status ' + f.status, f.status));
    if (f.incomplete) head.appendChild(el('span', 'status incomplete', 'incomplete'));
    var others = f.changedFiles.filter(function (p) { return p !== f.path; });
    if (others.length) head.appendChild(el('span', '', 'with ' + others.join(', ')));
    sec.appendChild(head);
    f.errors.forEach(function (e) { sec.appendChild(el('p', 'errors', e)); });
    if (f.findings.length) {
      var ul = el('ul', 'findings');
      var explained = {};
      f.findings.forEach(function (x) {
        var li = el('li');
        var b = el('strong', '', x.transform);
        li.appendChild(b);
        var at = x.lines ? 'line ' + x.lines.start : '';
        li.appendChild(document.createTextNode((x.file ? ' (' + x.file + (at ? ' ' + at : '') + ')' : at ? ' (' + at + ')' : '') + ': ' + x.message));
        if (!x.fixed) li.appendChild(el('span', 'notfixed', x.severity === 'error' ? ' (not fixed: needs a person)' : ' (not fixed)'));
        if (!explained[x.transform]) {
          explained[x.transform] = true;
          li.appendChild(el('div', 'why', x.rationale));
        }
        ul.appendChild(li);
      });
      sec.appendChild(ul);
    }
    f.notes.forEach(function (n) { sec.appendChild(el('p', 'why', 'note: ' + n)); });
    if (f.diff) {
      var d = el('div', 'diff');
      sec.appendChild(d);
      new Diff2HtmlUI(d, f.diff, { outputFormat: 'side-by-side', drawFileList: false, matching: 'lines', highlight: false }).draw();
    }
    sec.dataset.text = [f.path, f.status, f.incomplete ? 'incomplete' : ''].concat(
      f.findings.map(function (x) { return x.transform + ' ' + x.message; }), f.errors, f.notes).join(' ').toLowerCase();
    main.appendChild(sec);
    sections.push(sec);
  });
  var input = document.getElementById('filter');
  var shown = document.getElementById('shown');
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var n = 0;
    sections.forEach(function (sec) {
      var ok = words.every(function (w) { return sec.dataset.text.indexOf(w) >= 0; });
      sec.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n + ' of ' + sections.length + ' files shown';
  }
  input.addEventListener('input', apply);
  apply();
})();
`;
