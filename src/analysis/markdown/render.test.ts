import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './render.js';

/** Every attribute value in the output that a browser would treat as a URL. */
function urls(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src|action|formaction|xlink:href)="([^"]*)"/gi)].map((m) => m[1] ?? '');
}

describe('renderMarkdown: untrusted text stays text', () => {
  it.each([
    ['a script element', '<script>alert(1)</script>'],
    ['an upper-case script with a source', '<SCRIPT SRC=//evil.example/x.js></SCRIPT>'],
    ['an inline event handler', 'Look: <img src="x" onerror="alert(1)">'],
    ['an svg with onload', '<svg onload="alert(1)"><circle r="1"/></svg>'],
    ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['a style attribute', '<p style="position:fixed;inset:0;background:red">covered</p>'],
    ['a style element', '<style>body{display:none}</style>'],
    ['an object', '<object data="x.swf"></object>'],
    ['a form', '<form action="https://evil.example"><button>Go</button></form>'],
    ['a meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
  ])('drops %s', (_name, markdown) => {
    const html = renderMarkdown(`Before\n\n${markdown}\n\nAfter`);
    expect(html).not.toMatch(/<(script|iframe|style|object|form|meta|svg|button)\b/i);
    expect(html).not.toMatch(/\son\w+=/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).toContain('<p>Before</p>');
    expect(html).toContain('<p>After</p>');
  });

  it.each([
    ['javascript: link', '[click](javascript:alert(1))'],
    ['mixed-case javascript: link', '[click](JaVaScRiPt:alert(1))'],
    ['entity-encoded javascript: link', '[click](javascript&#58;alert(1))'],
    ['javascript: behind whitespace', '[click]( javascript:alert(1))'],
    ['vbscript: link', '[click](vbscript:msgbox(1))'],
    ['data: link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['data: image', '![pixel](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)'],
    ['javascript: image', '![x](javascript:alert(1))'],
    ['javascript: reference link', '[click][x]\n\n[x]: javascript:alert(1)'],
  ])('removes the URL of a %s', (_name, markdown) => {
    const html = renderMarkdown(markdown);
    for (const url of urls(html)) expect(url).not.toMatch(/^\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/javascript:|vbscript:|data:/i);
  });

  it('keeps web and mail links', () => {
    const html = renderMarkdown('[runbook](https://runbooks.example/checkout) and [mail](mailto:oncall@example.com)');
    expect(urls(html)).toEqual(['https://runbooks.example/checkout', 'mailto:oncall@example.com']);
  });

  it('drops HTML comments, which hold the template prompts', () => {
    const html = renderMarkdown(
      '## Impact\n\n<!-- Who was affected, for how long, how badly? -->\n\nAbout 4% of orders failed.',
    );
    expect(html).not.toContain('Who was affected');
    expect(html).not.toContain('<!--');
    expect(html).toContain('<p>About 4% of orders failed.</p>');
  });

  it('drops an unterminated script block with everything after it rather than let any of it through', () => {
    const html = renderMarkdown('Before\n\n<script\n>alert(1)</script\n>\n\nAfter');
    expect(html).toBe('<p>Before</p>');
  });

  it('escapes markup inside code', () => {
    const html = renderMarkdown('```html\n<script>alert(1)</script>\n```\n\nand `<b>inline</b>`');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('class="language-html"');
    expect(html).toMatch(/&#x3C;script>|&lt;script&gt;/);
  });
});

describe('renderMarkdown: GitHub-flavoured markdown', () => {
  it('renders tables with their alignment', () => {
    const html = renderMarkdown(
      '| Time (UTC) | Event | Count |\n|:--|---|--:|\n| 14:02 | Error rate above 5% \\| paged | 3 |',
    );
    expect(html).toContain('<table>');
    expect(html).toMatch(/<th align="left">Time \(UTC\)<\/th>/);
    expect(html).toMatch(/<td align="right">3<\/td>/);
    expect(html).toContain('<td>Error rate above 5% | paged</td>');
  });

  it('renders task lists as disabled checkboxes', () => {
    const html = renderMarkdown('- [x] Roll back the config\n- [ ] Add an alert on queue depth');
    expect(html).toContain('class="contains-task-list"');
    const boxes = [...html.matchAll(/<input type="checkbox"([^>]*)>\s*([^<]+)/g)].map((m) => [m[1]?.trim(), m[2]]);
    expect(boxes).toEqual([
      ['checked disabled', 'Roll back the config'],
      ['disabled', 'Add an alert on queue depth'],
    ]);
  });

  it('renders strikethrough, autolinks and footnotes whose links resolve', () => {
    const html = renderMarkdown('~~wrong~~ see www.example.com and a note[^1].\n\n[^1]: The vendor confirmed it.');
    expect(html).toContain('<del>wrong</del>');
    expect(html).toContain('href="http://www.example.com"');
    const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));
    const anchors = urls(html).filter((u) => u.startsWith('#'));
    expect(anchors.length).toBeGreaterThanOrEqual(2);
    for (const anchor of anchors) expect(ids.has(anchor.slice(1))).toBe(true);
  });
});

describe('renderMarkdown: heading ids and anchors', () => {
  it('gives sections their section id, prefixed, and numbers duplicates', () => {
    const html = renderMarkdown(
      '# Checkout outage\n\n## TL;DR\n\n## What went well\n\n### Detection\n\n## Detection\n\n## Detection',
    );
    expect(html).toContain('<h1 id="user-content-checkout-outage">');
    expect(html).toContain('<h2 id="user-content-tldr">TL;DR</h2>');
    expect(html).toContain('<h2 id="user-content-what-went-well">');
    // Level-2 headings keep the ids the postmortem's sections use; the subsection yields.
    expect(html).toContain('<h2 id="user-content-detection">');
    expect(html).toContain('<h2 id="user-content-detection-2">');
    expect(html).toContain('<h3 id="user-content-detection-3">');
  });

  it('points in-document links at the prefixed ids, and leaves unknown anchors alone', () => {
    const html = renderMarkdown('See [the timeline](#timeline) and [nothing](#nowhere).\n\n## Timeline');
    expect(html).toContain('href="#user-content-timeline"');
    expect(html).toContain('href="#nowhere"');
  });

  it('follows escaped fragments and survives malformed ones', () => {
    const html = renderMarkdown('## What went well\n\n[a](#what%2Dwent%2Dwell) [b](#%E0%A4%A)');
    expect(html).toContain('<a href="#user-content-what-went-well">a</a>');
    expect(html).toContain('<a href="#%E0%A4%25A">b</a>');
  });

  it('cannot clobber ids of the page around it', () => {
    const html = renderMarkdown('## location\n\n[x](#location)');
    expect(html).not.toMatch(/\sid="location"/);
    expect(html).toContain('id="user-content-location"');
  });
});

describe('renderMarkdown: images', () => {
  const chart = '/api/v1/artifacts/' + 'a'.repeat(64) + '/chart.svg';

  it('keeps sanitized image URLs when no rewrite is given', () => {
    const html = renderMarkdown(`![error ratio (checkout)](${chart})`);
    expect(html).toContain(`<img src="${chart}" alt="error ratio (checkout)">`);
  });

  it('lets the caller inline an image or drop it to its alt text', () => {
    const seen: string[] = [];
    const html = renderMarkdown(`![chart](${chart}) ![elsewhere](/local.png) ![ext](https://img.example/a.png)`, {
      rewriteImage: (src) => {
        seen.push(src);
        if (src === chart) return 'data:image/svg+xml;base64,PHN2Zy8+';
        return src.startsWith('https:') ? src : null;
      },
    });
    expect(seen).toEqual([chart, '/local.png', 'https://img.example/a.png']);
    expect(html).toContain('<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="chart">');
    expect(html).not.toContain('/local.png');
    expect(html).toContain('[elsewhere]');
    expect(html).toContain('src="https://img.example/a.png"');
  });

  it('never hands an unsafe image URL to the rewrite', () => {
    const seen: string[] = [];
    renderMarkdown('![x](javascript:alert(1)) ![y](data:image/png;base64,AAAA)', {
      rewriteImage: (src) => {
        seen.push(src);
        return src;
      },
    });
    expect(seen).toEqual([]);
  });
});
