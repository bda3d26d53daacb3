import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readReceiptFields } from '../extract/fields.js';
import { decodeEntities } from './html-entities.js';
import { htmlToText } from './html-text.js';

/** An order confirmation as online shops send them: layout tables, a preheader, an item table. */
const shopReceiptHtml = readFileSync(new URL('./testdata/shop-receipt.html', import.meta.url), 'utf8');

describe('htmlToText on a shop receipt', () => {
  const text = htmlToText(shopReceiptHtml);
  const lines = text.split('\n');

  it('puts each item row on its own line with the cells separated by tabs', () => {
    expect(lines).toContain('Item\tQty\tPrice');
    expect(lines).toContain('Stapler "Heavy Duty"\t1\t€ 24.90');
    expect(lines).toContain('Printer paper A4, 500 sheets\t4\t€ 19.96');
    expect(lines).toContain('Pens & markers set\t2\t€ 11.00');
    expect(lines).toContain('Total\t€ 60.81');
  });

  it('keeps line breaks of paragraphs and <br>, and the date', () => {
    expect(lines).toContain('Hi Dana,');
    expect(lines).toContain('thanks for shopping with us! Here is your receipt.');
    expect(lines).toContain('Order #NW-48213 · placed on 14 March 2025');
    expect(lines).toContain('Northwind GmbH – Hauptstraße 5, 10115 Berlin');
  });

  it('drops the title, styles, scripts, conditional comments, the hidden preheader and every tag', () => {
    expect(text).not.toMatch(/[<>]|font-family|border-collapse|trackOpen|Thanks for your order|Your Northwind/);
    expect(lines[0]).toBe('Northwind Office Supplies');
  });

  it('leaves no empty runs: at most one empty line, no trailing spaces', () => {
    expect(text).not.toMatch(/\n\n\n|[ \t]\n|\n[ \t]|\u00a0|\u200c/);
  });

  it('gives the receipt reader the total, the date and the currency', () => {
    const fields = readReceiptFields(text);
    expect(fields).toMatchObject({ total: '60.81', date: '2025-03-14', currency: 'EUR' });
  });
});

describe('htmlToText', () => {
  it.each([
    ['block elements and <br> break lines', '<div>one</div><div>two<br>three</div>', 'one\ntwo\nthree'],
    ['paragraphs are set apart by one empty line', '<p>one</p><p>two</p>', 'one\n\ntwo'],
    ['nested blocks give one break, not several', '<div><div><div>one</div></div></div><div>two</div>', 'one\ntwo'],
    ['a <br> closing a block adds no empty line', '<div>one<br></div><div>two</div>', 'one\ntwo'],
    ['two <br> give one empty line, more give no more', 'one<br><br>two<br><br><br><br>three', 'one\n\ntwo\n\nthree'],
    ['whitespace collapses as a browser shows it', '  one \n\t two  ', 'one two'],
    ['inline elements do not break', 'To<b>tal</b> <span>9.99</span>', 'Total 9.99'],
    ['empty cells leave no double tabs', '<table><tr><td></td><td>a</td><td> </td><td>b</td></tr></table>', 'a\tb'],
    ['cells of nested tables keep their rows', '<table><tr><td><table><tr><td>a</td><td>1</td></tr><tr><td>b</td><td>2</td></tr></table></td></tr></table>', 'a\t1\nb\t2'],
    ['list items become dashed lines', '<ul><li>one</li><li>two</li></ul>', '- one\n- two'],
    ['<pre> keeps its spacing', '<pre>Item    1.00\n  Tax   0.10</pre>', 'Item    1.00\n  Tax   0.10'],
    ['a "<" that opens no tag is text', 'a < b and 1<2', 'a < b and 1<2'],
    ['">" inside a quoted attribute does not end the tag', '<a title="a>b">link</a>', 'link'],
    ['upper-case tags and self-closing <br/>', '<DIV>one<BR/>two</DIV>', 'one\ntwo'],
    ['a stray end tag still breaks', 'one</p>two', 'one\n\ntwo'],
    ['an unclosed script drops the rest', 'one<script>two', 'one'],
    ['an unfinished tag swallows the rest', 'one<div class="x', 'one'],
    ['a hidden element that never closes keeps its text', 'one<div hidden>two', 'one\ntwo'],
    ['a hidden element with the same tag nested inside is dropped whole', '<div style="color:red; display: none">a<div>b</div>c</div>d', 'd'],
    ['a comment is dropped even with tags in it', 'one<!-- <p>two</p> -->three', 'onethree'],
    ['markers in the text are not taken for breaks', 'one\ue001two', 'onetwo'],
    ['no HTML gives no text', '', ''],
  ])('%s', (_case, html, text) => {
    expect(htmlToText(html)).toBe(text);
  });

  it('reads a large document in one pass', () => {
    const rows = '<tr><td>Item</td><td>1.00</td></tr>'.repeat(50_000);
    const text = htmlToText(`<table>${rows}</table>${'<script>x'.repeat(10_000)}`);
    expect(text.split('\n')).toHaveLength(50_000);
  });
});

describe('decodeEntities', () => {
  it.each([
    ['named references', '&euro;&nbsp;5 &amp; &lt;b&gt; &quot;x&quot; &szlig;&yuml;&times;', '€\u00a05 & <b> "x" ßÿ×'],
    ['decimal and hexadecimal references', '&#8364;&#x20AC;&#X20ac;&#39;', "€€€'"],
    ['windows-1252 numbers as old systems wrote them', '&#128; &#150; &#153;', '€ – ™'],
    ['legacy names without the semicolon', '&amp &nbsp&copy 2025', '& \u00a0© 2025'],
    ['unknown names and other names without the semicolon stay', '&bogus; &euro &AMPx', '&bogus; &euro &AMPx'],
    ['numbers that are no character', '&#0; &#xD800; &#x110000;', '\ufffd \ufffd \ufffd'],
  ])('decodes %s', (_case, text, decoded) => {
    expect(decodeEntities(text)).toBe(decoded);
  });
});
