/**
 * A strict reader of the XML subset JUnit reports use (an XML declaration, elements, attributes in
 * double or single quotes, text, the five predefined entities and character references). Anything else,
 * or anything malformed (an unescaped `<` or `&`, an unbalanced tag, a duplicate attribute, a character
 * XML 1.0 forbids), throws: passing it means a real XML parser reads the document too.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decode(text: string, where: number): string {
  if (/[<]/.test(text)) throw new Error(`unescaped '<' at ${where}`);
  return text.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`unescaped '&' at ${where}`);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[ref] !== undefined) return named[ref];
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (!num) throw new Error(`unknown entity '${m}' at ${where}`);
    const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
    const ch = String.fromCodePoint(code);
    if (FORBIDDEN.test(ch)) throw new Error(`forbidden character reference '${m}' at ${where}`);
    return ch;
  });
}

export function parseXml(xml: string): XmlElement {
  if (FORBIDDEN.test(xml)) throw new Error('a character XML 1.0 forbids');
  let i = 0;
  const decl = /^<\?xml\s[^?]*\?>\s*/.exec(xml);
  if (decl) i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end < 0 ? xml.length : end);
      const text = decode(raw, i);
      if (stack.length === 0) {
        if (text.trim() !== '') throw new Error(`text outside the root element at ${i}`);
      } else {
        stack[stack.length - 1].text += text;
      }
      i = end < 0 ? xml.length : end;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = /^<\/([^\s>]+)\s*>/.exec(xml.slice(i));
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) throw new Error(`unbalanced end tag at ${i}`);
      i += m[0].length;
      continue;
    }
    i++;
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`bad element name at ${i}`);
    i += name.length;
    const element: XmlElement = { name, attributes: {}, children: [], text: '' };
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('/>', i) || xml[i] === '>') break;
      if (ws === '') throw new Error(`no space before an attribute at ${i}`);
      const attr = /^([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
      if (!attr) throw new Error(`bad attribute at ${i}`);
      if (attr[1] in element.attributes) throw new Error(`duplicate attribute ${attr[1]} at ${i}`);
      element.attributes[attr[1]] = decode(attr[3] ?? attr[4], i);
      i += attr[0].length;
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else if (root) throw new Error(`a second root element at ${i}`);
    else root = element;
    if (xml.startsWith('/>', i)) {
      i += 2;
    } else {
      i += 1;
      stack.push(element);
    }
  }
  if (stack.length > 0) throw new Error(`unclosed element ${stack[stack.length - 1].name}`);
  if (!root) throw new Error('no root element');
  return root;
}
