/**
 * Character classes, number words and noun normalisation for the figure parser.
 *
 * Everything here works on UTF-16 code units and treats the forms a pasted draft mixes
 * freely as one: curly and straight quotes, non-breaking and ordinary spaces, CRLF and LF.
 */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAsciiUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

export function isAsciiLower(c: number): boolean {
  return c >= 97 && c <= 122;
}

/** A letter of some script (rough but cheap: Latin, Greek, Cyrillic, CJK…); not digits, marks or punctuation. */
export function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  if (c < 0xc0) return c === 0xaa || c === 0xb5 || c === 0xba;
  if (c === 0xd7 || c === 0xf7) return false;
  if (c < 0x2000) return true;
  if (c >= 0x3040 && c < 0xd800) return true;
  return c >= 0xf900 && c < 0xfe00;
}

export function isLetterOrDigit(c: number): boolean {
  return isDigit(c) || isLetter(c);
}

/** Horizontal white space, including NBSP, the thin and narrow spaces, zero-width space and BOM. */
export function isHSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || c === 9 || c === 0x0b || c === 0x0c; // ASCII first: most text is
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export function isLineBreak(c: number): boolean {
  if (c < 0x80) return c === 10 || c === 13;
  return c === 0x85 || c === 0x2028 || c === 0x2029;
}

export function isSpace(c: number): boolean {
  return isHSpace(c) || isLineBreak(c);
}

/** Hyphen-like characters that join words: hyphen-minus, hyphen, non-breaking hyphen, figure dash, minus. */
export function isHyphen(c: number): boolean {
  if (c < 0x80) return c === 0x2d;
  return c === 0x2010 || c === 0x2011 || c === 0x2012 || c === 0x2212;
}

/** Any dash that can stand between the two ends of a range: hyphens, en dash, em dash. */
export function isDash(c: number): boolean {
  if (c < 0x80) return c === 0x2d;
  return isHyphen(c) || c === 0x2013 || c === 0x2014 || c === 0x2015;
}

/** Single quotes and apostrophes, straight or curly. */
export function isApostrophe(c: number): boolean {
  if (c < 0x80) return c === 0x27;
  return c === 0x2018 || c === 0x2019 || c === 0x201b || c === 0x2032 || c === 0x02bc;
}

/** Double quotes, straight or curly, and guillemets. */
export function isDoubleQuote(c: number): boolean {
  if (c < 0x80) return c === 0x22;
  return c === 0x201c || c === 0x201d || c === 0x201e || c === 0x201f || c === 0xab || c === 0xbb;
}

// ---------------------------------------------------------------------------------------------
// Number words

export type NumberWordKind = 'unit' | 'teen' | 'tens' | 'hundred' | 'scale';

export interface NumberWord {
  readonly value: number;
  readonly kind: NumberWordKind;
}

const NUMBER_WORD_LIST: ReadonlyArray<readonly [string, number, NumberWordKind]> = [
  ['one', 1, 'unit'],
  ['two', 2, 'unit'],
  ['three', 3, 'unit'],
  ['four', 4, 'unit'],
  ['five', 5, 'unit'],
  ['six', 6, 'unit'],
  ['seven', 7, 'unit'],
  ['eight', 8, 'unit'],
  ['nine', 9, 'unit'],
  ['ten', 10, 'teen'],
  ['eleven', 11, 'teen'],
  ['twelve', 12, 'teen'],
  ['thirteen', 13, 'teen'],
  ['fourteen', 14, 'teen'],
  ['fifteen', 15, 'teen'],
  ['sixteen', 16, 'teen'],
  ['seventeen', 17, 'teen'],
  ['eighteen', 18, 'teen'],
  ['nineteen', 19, 'teen'],
  ['twenty', 20, 'tens'],
  ['thirty', 30, 'tens'],
  ['forty', 40, 'tens'],
  ['fifty', 50, 'tens'],
  ['sixty', 60, 'tens'],
  ['seventy', 70, 'tens'],
  ['eighty', 80, 'tens'],
  ['ninety', 90, 'tens'],
  ['hundred', 100, 'hundred'],
  ['thousand', 1e3, 'scale'],
  ['million', 1e6, 'scale'],
  ['billion', 1e9, 'scale'],
  ['trillion', 1e12, 'scale'],
];

export const NUMBER_WORDS: ReadonlyMap<string, NumberWord> = new Map(
  NUMBER_WORD_LIST.map(([w, value, kind]) => [w, { value, kind }] as const),
);

/** Scale words written after a number with a space: "£4.6 billion", "two million". */
export const SCALE_WORDS: ReadonlyMap<string, number> = new Map([
  ['thousand', 1e3],
  ['million', 1e6],
  ['billion', 1e9],
  ['trillion', 1e12],
]);

/** Scale abbreviations glued to a number ("£1.2m", "c.390k", "£1.085bn"), case-sensitive where it matters. */
export const SCALE_SUFFIXES: ReadonlyMap<string, number> = new Map([
  ['k', 1e3],
  ['K', 1e3],
  ['m', 1e6],
  ['M', 1e6],
  ['mn', 1e6],
  ['Mn', 1e6],
  ['mln', 1e6],
  ['b', 1e9],
  ['B', 1e9],
  ['bn', 1e9],
  ['Bn', 1e9],
  ['BN', 1e9],
  ['tn', 1e12],
  ['trn', 1e12],
  ['Tn', 1e12],
  ['thousand', 1e3],
  ['million', 1e6],
  ['billion', 1e9],
  ['trillion', 1e12],
]);

/** Abbreviations that may follow a money amount after a space ("£1.2 m", "£5 bn"). */
export const SPACED_MONEY_SCALES: ReadonlyMap<string, number> = new Map([
  ['k', 1e3],
  ['m', 1e6],
  ['mn', 1e6],
  ['bn', 1e9],
  ['tn', 1e12],
]);

// ---------------------------------------------------------------------------------------------
// Nouns

/**
 * Words that end a counted-noun phrase: articles, prepositions, conjunctions, pronouns,
 * auxiliary verbs and a few adverbs. "36 local authorities have been…" stops at "have".
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the of in on at to for from by with without and or but nor as per each every this that these ' +
    'those which who whom whose where when while whilst than then so if is are was were be been being am ' +
    'have has had having will would can could may might must shall should do does did done not no into ' +
    'onto over under across through throughout during since until till after before between among amongst ' +
    'including within about around against via its it their his her our your my they we he she you i us ' +
    'them there here more less most least also only just all both either neither such same up down out off ' +
    'now still yet already again ever toward towards upon like unlike plus minus versus vs via etc ie eg ' +
    'what why how whether whereas because although though unless beyond above below near next along ' +
    'alongside behind beside besides inside outside around among per cent percent respectively ' +
    'altogether overall annually monthly weekly daily yearly each every some any many much few several ' +
    'other another own very too'
  ).split(' '),
);

/**
 * Adjectives that can stand between a number and what it counts but are never the counted
 * thing themselves ("eight new Partners in Practice"): if the phrase ends on one, no noun.
 */
export const ADJECTIVES: ReadonlySet<string> = new Set(
  (
    'new more additional extra further separate local vulnerable existing other different key main major ' +
    'current former previous eligible individual specific dedicated national regional high low quality ' +
    'good better best poor large small big young old older younger full part-time full-time total ' +
    'whole entire single multiple various distinct unique potential possible likely future past recent ' +
    'first last final initial early late senior junior public private independent statutory voluntary ' +
    'disadvantaged targeted specialist social special successful active frontline front-line registered ' +
    'approved qualified trained experienced expert named identified'
  ).split(' '),
);

/** Irregular plurals and words that look plural but are not. Keys are lower case. */
const IRREGULAR: ReadonlyMap<string, string> = new Map([
  ['children', 'child'],
  ['people', 'person'],
  ['persons', 'person'],
  ['men', 'man'],
  ['women', 'woman'],
  ['staff', 'staff'],
  ['data', 'data'],
  ['criteria', 'criterion'],
  ['phenomena', 'phenomenon'],
  ['analyses', 'analysis'],
  ['crises', 'crisis'],
  ['theses', 'thesis'],
  ['diagnoses', 'diagnosis'],
  ['hypotheses', 'hypothesis'],
  ['feet', 'foot'],
  ['teeth', 'tooth'],
  ['mice', 'mouse'],
  ['geese', 'goose'],
  ['lives', 'life'],
  ['wives', 'wife'],
  ['knives', 'knife'],
  ['halves', 'half'],
  ['leaves', 'leaf'],
  ['shelves', 'shelf'],
  ['selves', 'self'],
  ['thieves', 'thief'],
  ['wolves', 'wolf'],
  ['calves', 'calf'],
  ['loaves', 'loaf'],
  ['series', 'series'],
  ['species', 'species'],
  ['means', 'means'],
  ['news', 'news'],
  ['police', 'police'],
  ['personnel', 'personnel'],
  ['sheep', 'sheep'],
  ['fish', 'fish'],
  ['deer', 'deer'],
  ['aircraft', 'aircraft'],
  ['alumni', 'alumnus'],
  ['media', 'media'],
  ['indices', 'index'],
  ['appendices', 'appendix'],
  ['matrices', 'matrix'],
  ['premises', 'premises'],
  ['headquarters', 'headquarters'],
  ['pence', 'penny'],
  ['movies', 'movie'],
  ['cookies', 'cookie'],
  ['calories', 'calorie'],
  ['statuses', 'status'],
  ['campuses', 'campus'],
  ['bonuses', 'bonus'],
  ['viruses', 'virus'],
  ['censuses', 'census'],
  ['buses', 'bus'],
  ['surpluses', 'surplus'],
  ['syllabuses', 'syllabus'],
  ['focuses', 'focus'],
  ['prospectuses', 'prospectus'],
  ['consensuses', 'consensus'],
  ['heroes', 'hero'],
  ['potatoes', 'potato'],
  ['tomatoes', 'tomato'],
  ['echoes', 'echo'],
  ['vetoes', 'veto'],
  ['volcanoes', 'volcano'],
  ['embargoes', 'embargo'],
  ['headaches', 'headache'],
  ['niches', 'niche'],
  ['caches', 'cache'],
]);

/** Plural forms that do not end in "s", so that a counted-noun phrase can end on them. */
export const IRREGULAR_PLURALS: ReadonlySet<string> = new Set([
  'children',
  'people',
  'men',
  'women',
  'staff',
  'data',
  'police',
  'personnel',
  'criteria',
  'media',
  'alumni',
  'feet',
  'teeth',
  'mice',
  'geese',
  'sheep',
  'fish',
  'deer',
]);

/** Whether a word (as written) reads as a plural: "councils", "LAs", "children"; not "NHS", "business", "bus". */
export function looksPlural(word: string): boolean {
  // A possessive ("children’s centres", "councils’ plans") qualifies the noun after it.
  if (/['\u2018\u2019\u201b\u2032\u02bc]s?$/.test(word)) return false;
  const w = word;
  if (w.length < 2) return false;
  const lower = w.toLowerCase();
  if (IRREGULAR_PLURALS.has(lower)) return true;
  const last = w.charCodeAt(w.length - 1);
  if (last !== 115 /* s */) return false; // "NHS", "CCGS" written all upper case are not plurals
  if (/^[A-Z][A-Z0-9&]+s$/.test(w)) return true; // LAs, CCGs
  return !/(?:ss|us|is|ous)$/.test(lower);
}

/**
 * {@link looksPlural} for the word s[start, end) written in ASCII, read in place: `irregular`
 * says whether it is one of {@link IRREGULAR_PLURALS} (in any case).
 */
export function looksPluralAt(s: string, start: number, end: number, irregular: boolean): boolean {
  const len = end - start;
  if (len === 0) return false;
  const last = s.charCodeAt(end - 1);
  // A possessive ("councils'") qualifies the noun after it.
  if (isApostrophe(last) || (last === 115 && len >= 2 && isApostrophe(s.charCodeAt(end - 2)))) return false;
  if (len < 2) return false;
  if (irregular) return true;
  if (last !== 115 /* s */) return false;
  // LAs, CCGs: capitals then a small "s".
  if (len >= 3 && isAsciiUpper(s.charCodeAt(start))) {
    let k = start + 1;
    while (k < end - 1 && isAcronymChar(s.charCodeAt(k))) k++;
    if (k === end - 1) return true;
  }
  // "-ss", "-us", "-is", "-ous" are singular.
  let before = s.charCodeAt(end - 2);
  if (isAsciiUpper(before)) before += 32;
  return before !== 115 && before !== 117 && before !== 105;
}

function isAcronymChar(c: number): boolean {
  return isAsciiUpper(c) || isDigit(c) || c === 0x26;
}

function normaliseApostrophes(s: string): string {
  return s.replace(/[\u2018\u2019\u201b\u2032\u02bc]/g, "'");
}

function stripPossessive(word: string): string {
  const w = normaliseApostrophes(word);
  if (/'s$/i.test(w)) return w.slice(0, -2);
  if (w.endsWith("'")) return w.slice(0, -1);
  return w;
}

function singular(word: string): string {
  // Acronym plurals: "LAs" → "la", "CCGs" → "ccg".
  if (/^[A-Z][A-Z0-9&]+s$/.test(word)) return word.slice(0, -1).toLowerCase();
  const w = word.toLowerCase();
  const irregular = IRREGULAR.get(w);
  if (irregular !== undefined) return irregular;
  if (w.length <= 3) return w.length === 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w) ? w.slice(0, -1) : w;
  if (w.endsWith('ies')) return w.length > 4 ? w.slice(0, -3) + 'y' : w.slice(0, -1);
  if (/(?:ss|sh|ch|x)es$/.test(w)) return w.slice(0, -2);
  if (/(?:ss|us|is|ous)$/.test(w)) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

/** {@link normaliseNoun} for one word already known to be the head noun. */
export function normaliseHeadNoun(word: string): string {
  return singular(stripPossessive(word));
}

/**
 * The noun convention shared by the parser, the loader and the checker: the head noun of
 * what is counted, singular and lower case. For a phrase the head noun is the first word
 * that reads as a plural, else the last word before a preposition, article or verb:
 * "local authorities" → "authority", "Partners in Practice" → "partner", "new Work Coaches"
 * → "coach", "LAs" → "la", "children's centres" → "centre", "children" → "child",
 * "people" → "person". Curly apostrophes and possessives are ignored.
 */
export function normaliseNoun(word: string): string {
  if (typeof word !== 'string') return '';
  const words = normaliseApostrophes(word)
    .split(/[^\p{L}\p{N}'\-]+/u)
    .filter((w) => w.length > 0 && /\p{L}/u.test(w));
  if (words.length === 0) return '';
  const phrase: string[] = [];
  for (const w of words) {
    const lower = w.toLowerCase();
    if (phrase.length > 0 && STOP_WORDS.has(lower)) break;
    if (STOP_WORDS.has(lower)) continue;
    phrase.push(w);
    if (looksPlural(w)) break;
  }
  if (phrase.length === 0) return singular(stripPossessive(words[words.length - 1]));
  return singular(stripPossessive(phrase[phrase.length - 1]));
}
