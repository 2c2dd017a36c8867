// The viewer's page and style sheet. The script (client/main.ts) finds its elements by id.

export const VIEWER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rxvds viewer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/viewer/viewer.css">
<script type="module" src="/viewer/main.js"></script>
</head>
<body>
<header>
  <label>Dataset <select id="dataset"></select></label>
  <label>Slice <select id="direction"></select></label>
  <label class="grow"><span id="line-label">Line</span> <input id="line" type="range" min="0" max="0" value="0"> <output id="line-value"></output></label>
  <label>Colours <select id="colormap"></select></label>
  <label id="token-field" hidden>Token <input id="token" type="password" autocomplete="off"></label>
</header>
<div id="progress-row">
  <progress id="progress" max="1" value="0"></progress>
  <output id="status" data-state="idle">Loading…</output>
</div>
<main>
  <canvas id="slice" width="900" height="600" title="Click to show the trace"></canvas>
  <canvas id="trace" width="240" height="600"></canvas>
</main>
</body>
</html>
`;

export const VIEWER_CSS = `
body { font: 14px system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { display: flex; flex-wrap: wrap; gap: 12px 20px; align-items: center; padding: 10px 14px; background: #fff; border-bottom: 1px solid #ddd; }
header .grow { flex: 1 1 320px; display: flex; gap: 8px; align-items: center; }
header .grow input { flex: 1; }
#line-value { min-width: 5em; font-variant-numeric: tabular-nums; }
#progress-row { display: flex; gap: 12px; align-items: center; padding: 6px 14px; }
#progress { width: 260px; }
#status { font-variant-numeric: tabular-nums; }
#status[data-state="error"] { color: #b00; }
main { display: flex; gap: 10px; padding: 0 14px 14px; align-items: flex-start; }
canvas { background: #fff; border: 1px solid #ddd; }
/* The canvases keep their pixel size and shrink with the window (clicks are scaled back). */
#slice { width: min(900px, calc((100vw - 50px) * 900 / 1140)); height: auto; }
#trace { width: min(240px, calc((100vw - 50px) * 240 / 1140)); height: auto; }
#slice { cursor: crosshair; }
`;
