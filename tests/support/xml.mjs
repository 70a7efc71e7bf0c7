// A strict little XML reader for the Open311 tests: elements and text only (what GeoReport v2
// uses), entities decoded; throws on anything malformed, so a broken document fails the test.
export function parseXml(source) {
  let s = source.replace(/^<\?xml[^?]*\?>/, '');
  let i = 0;
  const decode = (t) => t.replace(/&(lt|gt|amp|quot|apos);/g, (_, e) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]);
  function element() {
    const open = /^<([A-Za-z_][\w.-]*)>/.exec(s.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${s.slice(i, i + 40)}`);
    const name = open[1];
    i += open[0].length;
    const children = [];
    let text = '';
    for (;;) {
      if (s.startsWith(`</${name}>`, i)) {
        i += name.length + 3;
        return { name, children, text: decode(text) };
      }
      if (s[i] === '<') children.push(element());
      else {
        const next = s.indexOf('<', i);
        if (next < 0) throw new Error(`unclosed <${name}>`);
        text += s.slice(i, next);
        i = next;
      }
      if (i >= s.length) throw new Error(`unclosed <${name}>`);
    }
  }
  const root = element();
  if (s.slice(i).trim()) throw new Error('content after the root element');
  return root;
}

export const childNames = (el) => el.children.map((c) => c.name);
export const child = (el, name) => el.children.find((c) => c.name === name);
