import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText } from './html.ts';

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeEntities('&lt;a&gt; &amp;amp; &quot;q&quot; &#39;s&#x27; &copy; &unknown; &#128512;')).toBe(
      '<a> &amp; "q" \'s\' © &unknown; 😀',
    );
  });
});

describe('htmlToText', () => {
  it('keeps structure and drops scripts, styles and comments', () => {
    const html = `<!doctype html><html><head><title>T &amp; C</title><script>var x = "<p>no</p>";</script></head>
      <body><!-- hidden --><nav><a href="/home">Home</a></nav>
      <h2>Install</h2><p>Run   the
      command:</p><pre><code>npm  install
  aura</code></pre>
      <ol><li>First</li><li>Second <b>bold</b></li></ol>
      <table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
      <p>Line<br>break &nbsp; <img src="x.png" alt="diagram"> <a href="https://example.com/docs">https://example.com/docs</a></p>
      <style>.x{color:red}</style><noscript>enable js</noscript></body></html>`;
    expect(htmlToText(html, { baseUrl: 'https://site.test/page' })).toBe(
      [
        '# T & C',
        '',
        'Home (https://site.test/home)',
        '',
        '## Install',
        '',
        'Run the command:',
        '',
        '```',
        'npm  install',
        '  aura',
        '```',
        '',
        '1. First',
        '2. Second bold',
        '',
        '| Name | Value',
        '| a | 1',
        '',
        'Line',
        'break [image: diagram] https://example.com/docs',
      ].join('\n'),
    );
  });

  it('handles attributes containing ">" and unknown tags', () => {
    expect(htmlToText('<p data-x="a>b">text</p><custom-el>more</custom-el>')).toBe('text\n\nmore');
  });
});
