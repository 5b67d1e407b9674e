// Reference token ids for align4j's GPT-2 tokenizer test, from an independent implementation (the npm package
// gpt-tokenizer, MIT, its r50k_base/gpt2 encoding). Run in a folder where `npm install gpt-tokenizer` was done:
//   node tools/gpt2_tokenizer_reference.mjs OUT.json
// Writes [{"text": ..., "ids": [...]}, ...] for a fixed list of hand-picked strings plus seeded random ones (code,
// scripts from several alphabets, whitespace runs, emoji with modifiers and joiners, digits, contractions).
import { encode, decode } from 'gpt-tokenizer/encoding/gpt2';
import fs from 'fs';

const fixed = [
  "", " ", "  ", "\n", "\n\n\n", "\t\t", " \t \n ", "Hello world", "Hello, world!", "hello  world   again",
  "I'm sure it's what they're doing; we've, you'll, he'd", "DON'T SHOUT'S", "'s 't 're", "trailing space ",
  "  leading spaces", "int main(void) {\n    return 0;\n}\n", "for (int i = 0; i < n; i++) { sum += a[i]; }",
  "def f(x):\n\treturn x ** 2  # square\n", "<html><body class=\"x\">&amp;</body></html>", "a+b=c; x->y; p::q",
  "12345678901234567890", "3.14159 2,718 1e-10 0x1F", "naïve café résumé façade", "Größe Straße Übermut",
  "Ελληνικά κείμενα", "Русский текст здесь", "日本語のテキスト", "中文字符和标点。", "한국어 텍스트",
  "עברית וערבית: العربية", "हिन्दी पाठ", "emoji 🙂👍🏽🎉", "family 👨‍👩‍👧‍👦 flag 🇫🇷", "math ∑∫√∞ ≠ ≤",
  "non\u00a0breaking\u3000ideographic", "mixed\u2003em\u2009thin", "zero\u200bwidth", "combining e\u0301 a\u0308",
  "line\r\nendings\r\n", "tabs\tinside\twords", "!!!???...", "----====____", "email@example.com http://x.y/z?q=1",
  "😀😀😀😀", "🏳️‍🌈", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝓂𝒶𝓉𝒽", "   \n   \n", "end."
];

let seed = 20261205;
function rand() { // mulberry32
  seed |= 0; seed = seed + 0x6D2B79F5 | 0;
  let t = Math.imul(seed ^ seed >>> 15, 1 | seed);
  t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
  return ((t ^ t >>> 14) >>> 0) / 4294967296;
}
const pick = a => a[Math.floor(rand() * a.length)];
const pieces = [
  "the", " the", "The", " model", " token", "ization", " of", " and", "'s", "'ll", "n't", " 42", "2024", "3.5",
  " ", "  ", "   ", "\t", "\n", "\n\n", " \n", ".", ",", "!", "?", ";", "(", ")", "{", "}", "[", "]", "=>", "==",
  "//", "/*", "*/", "#", "@", "$", "%", "^", "&", "*", "_", "-", "+", "é", "ü", "ß", "ñ", "ø", "å", "λ", "Ω",
  "Ж", "я", "中", "文", "日", "本", "ア", "カ", "한", "글", "ا", "ل", "ש", "ל", "क", "ि", "🙂", "👍", "🏽", "🎉",
  "👨‍💻", "❤️", "🇯🇵", "\u00a0", "\u3000", "\u2003", "\u200b", "\u0301", "if", " else", " return", "class",
  "public", " static", " void", "main", "String", "[]", "args", "print", "(\"", "\")", "import", " numpy", " as",
  "np", "SELECT", " *", " FROM", " WHERE", "x", "y", "z", "A", "B", "Z", "0", "7", "9", "QUOTE\"", "back\\slash",
];
const random = [];
for (let i = 0; i < 300; i++) {
  const n = 1 + Math.floor(rand() * 12);
  let s = "";
  for (let j = 0; j < n; j++) s += pick(pieces);
  random.push(s);
}
const strings = fixed.concat(random);
const out = strings.map(text => {
  const ids = encode(text);
  if (decode(ids) !== text) throw new Error("gpt-tokenizer does not round-trip " + JSON.stringify(text));
  return { text, ids };
});
fs.writeFileSync(process.argv[2], JSON.stringify(out) + "\n");
console.log("wrote", out.length, "strings to", process.argv[2]);
