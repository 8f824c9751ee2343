// Texts that drive the head-of-file decisions (a prelude, a header block, the title), with text
// around them that crosses any head size: what parseForStore (parse/document.ts) and the health
// check's span reading (health/placement.ts) decide from a file's head alone, tested against the
// whole file.
import fc from 'fast-check';

// Lines that drive the parser's decisions, with text around them that crosses any head size.
const fieldLine = fc
  .tuple(
    fc.constantFrom('> ', '>', '  > ', '>> ', ''),
    fc.constantFrom('**Status:**', '**Status**:', '**Epic:**', '**Story Points:**', '**Owner:**', '**Depends on:**', '**Raised-by:**', '** :**'),
    fc.constantFrom(' Done', ' In Progress', ' EP0001 · **CR:** CR-0088', ' US0001, US-01KXCB7V', ' 5', ' {{TBD}}', ' é日本🙂', ''),
  )
  .map((a) => a.join(''));
const proseLine = fc.oneof(
  fc.constantFrom('', 'Plain prose.', '# Title here', '#Not a title', '  # indented', '## Section', '---', '<!-- one line -->', '<!-- opens', 'closes -->', 'closes --> trailing', '> quoted line', '>> nested', '```', '| a | b |', 'café ünïcode 日本語 🙂'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
);
const anyLine = fc.oneof({ arbitrary: fieldLine, weight: 3 }, { arbitrary: proseLine, weight: 2 });
export const text = fc
  .tuple(
    fc.constantFrom('', '\uFEFF'),
    fc.constantFrom('', '---\ntitle: x\n---\n', '---\nunclosed: yes\n', '<!-- a\nlong comment\n-->\n', '# Heading\n\n'),
    fc.array(anyLine, { maxLength: 30 }),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([bom, top, lines, eol]) => bom + (top + lines.join('\n')).replace(/\n/g, eol));
// A prelude, a header block of fields, then a body: most of these are decided by their head.
const blockLine = fc
  .tuple(fc.constantFrom('> ', '>', '  > '), fc.constantFrom('**Status:**', '**Epic:**', '**Owner:**', '**Story Points:**', '**Depends on:**'), fc.constantFrom(' Done', ' EP0001', ' é日本🙂', ' 3', ''))
  .map((a) => a.join(''));
export const structured = fc
  .tuple(
    fc.constantFrom('', '\uFEFF'),
    fc.array(fc.constantFrom('', '# US0001: A title', '<!-- note -->', '<!-- a\nb -->', '---\nk: v\n---'), { maxLength: 3 }),
    fc.array(blockLine, { minLength: 1, maxLength: 6 }),
    fc.array(fc.oneof(proseLine, blockLine), { maxLength: 40 }),
  )
  .map(([bom, prelude, block, body]) => bom + [...prelude, ...block, '', ...body].join('\n'));
