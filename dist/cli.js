#!/usr/bin/env node
import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 298:
/***/ ((module) => {

// A simple implementation of make-array
function makeArray (subject) {
  return Array.isArray(subject)
    ? subject
    : [subject]
}

const UNDEFINED = undefined
const EMPTY = ''
const SPACE = ' '
const ESCAPE = '\\'

// The characters that carry a meaning of their own inside a regular
//   expression, so a literal one has to be escaped before it is emitted.
const REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/
const BOM = '\uFEFF'
// A run of two or more asterisks is a globstar (#175)
const REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/
const REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/
const REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/
const REGEX_SPLITALL_CRLF = /\r?\n/g

// Invalid:
// - /foo,
// - ./foo,
// - ../foo,
// - .
// - ..
// Valid:
// - .foo
const DOUBLE_SLASH = '//'
const SLASH_CODE = 47
const DOT_CODE = 46


const SLASH = '/'

// Do not use ternary expression here, since "istanbul ignore next" is buggy
let TMP_KEY_IGNORE = 'node-ignore'
/* istanbul ignore else */
if (typeof Symbol !== 'undefined') {
  TMP_KEY_IGNORE = Symbol.for('node-ignore')
}
const KEY_IGNORE = TMP_KEY_IGNORE

const define = (object, key, value) => {
  Object.defineProperty(object, key, {value})
  return value
}

const RETURN_FALSE = () => false

// > The range notation, e.g. [a-zA-Z],
// > can be used to match one of the characters in a range.
//
// gitignore(5) defers to fnmatch(3) for this, and git implements it in
//   `wildmatch.c`.  A bracket expression has a sub-grammar of its own, which
//   is neither the surrounding pattern grammar nor the JavaScript one:
//
//   - a `]` right after `[` or `[!` is a literal member, not the terminator
//   - `[:alpha:]` names one of twelve POSIX classes
//   - `\` escapes the next member, `]` included
//   - `*`, `?` and `.` are plain literal members
//   - an unterminated expression makes the whole pattern match nothing
//
// which means the expression can not be located -- let alone translated -- by
//   a regular expression.  It is scanned out of the pattern before the
//   replacers below run, and put back once they are done, so that neither the
//   metacharacter escaper nor the `?` / `*` replacers ever see its body.

// git classifies with its own ASCII-only ctype macros (`wildmatch.c`), never
//   with the C library ones, so these must not be mapped onto `\d` / `\w` /
//   `\s`, which are wider.  `/` is left out of every expansion, because a
//   bracket expression never matches a path separator.
const POSIX_CLASSES = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-.0-~',
  lower: 'a-z',
  print: ' -.0-~',
  punct: '!-.:-@\\[-`{-~',
  // git's `sane-ctype.h` classifies \v and \f as control, not space,
  //   unlike C's `isspace`
  space: ' \\t\\n\\r',
  upper: 'A-Z',
  xdigit: '0-9A-Fa-f'
}

const CLASS_MEMBERS_TO_ESCAPE = '\\]^-['

const escapeMember = char => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0
  ? char
  : ESCAPE + char

// > if (matched == negated || ((flags & WM_PATHNAME) && text_ch == '/'))
// >   return WM_ABORT_TO_STARSTAR;                     (git, `wildmatch.c`)
// A bracket expression never matches a path separator, whatever its members
//   say, so a negated class gets `/` as one more excluded character, while a
//   plain one -- where a literal member or a range could still let `/` in --
//   is guarded with a lookahead, `/` being impossible to subtract from a
//   JavaScript character class.
const NON_SLASH = '(?!\\/)'

const classSource = (negated, body) => {
  if (negated) {
    return `[^\\/${body}]`
  }

  const source = `[${body}]`

  return new RegExp(source).test('/')
    ? NON_SLASH + source
    : source
}

// Scan the bracket expression that starts at `pattern[start] === '['`,
//   mirroring the member loop of git's `wildmatch.c`.
// @returns {{end: number, source: string} | null} `null` if the expression is
//   never terminated, which makes the whole pattern match nothing.
const scanBracket = (pattern, start) => {
  const {length} = pattern
  let index = start + 1
  let negated = EMPTY

  const lead = pattern[index]
  if (lead === '!' || lead === '^') {
    negated = '^'
    index ++
  }

  let body = EMPTY

  // The member a `-` could start a range from, or EMPTY when the previous
  //   member can not open one (start of the body, or a range / POSIX class
  //   that has just closed)
  let prev = EMPTY

  // git scans the members with a do-while, so the first one is consumed
  //   unconditionally.  That is the whole reason a leading `]` is a member
  //   and not the terminator.
  for (;;) {
    const char = pattern[index]

    if (char === UNDEFINED) {
      return null
    }

    if (char === ESCAPE) {
      // A pattern can not end on a lone backslash -- `createRule` has
      //   already thrown it away -- so there is a character to read.
      const escaped = pattern[++ index]
      body += escapeMember(escaped)
      prev = escaped
    } else if (
      char === '-'
      && prev
      && index + 1 < length
      && pattern[index + 1] !== ']'
    ) {
      index ++
      let to = pattern[index]
      if (to === ESCAPE) {
        to = pattern[index += 1]
      }
      // An out-of-order range matches nothing in git but is a syntax error in
      //   JavaScript, so it is dropped.  Its lower bound stays: git tests it
      //   as a plain member before it ever looks at the `-`, so `[c-a]` does
      //   match `c`.
      if (prev <= to) {
        body += `-${escapeMember(to)}`
      }
      prev = EMPTY
    } else if (char === '[' && pattern[index + 1] === ':') {
      const nameStart = index + 2
      let end = nameStart
      while (end < length && pattern[end] !== ']') {
        end ++
      }

      if (end === length) {
        return null
      }

      if (end > nameStart && pattern[end - 1] === ':') {
        const name = pattern.slice(nameStart, end - 1)

        // An unknown class name makes the whole pattern match nothing
        if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) {
          return null
        }

        body += POSIX_CLASSES[name]
        prev = EMPTY
        index = end
      } else {
        // No `:]` to close it, so the `[` is a plain member and scanning
        //   resumes right after it.
        body += escapeMember('[')
        prev = '['
        index = nameStart - 2
      }
    } else {
      body += escapeMember(char)
      prev = char
    }

    index ++

    if (pattern[index] === ']') {
      return {
        end: index,
        source: classSource(negated, body)
      }
    }
  }
}

// An empty JavaScript class can never match, which is how a pattern that git
//   gives up on (`WM_ABORT_ALL`) is expressed here.
const NEVER_MATCH = '[]'

// A NUL can appear in neither a `.gitignore` line nor a path, which makes it
//   the one safe placeholder character.  A literal one in the pattern is
//   held aside all the same, so a collision is impossible by construction.
const PLACEHOLDER = '\u0000'
const REGEX_RESTORE_PLACEHOLDER = new RegExp(
  `${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, 'g'
)

// The one wildcard the chain does not expand for itself is a trailing `*`. How
//   it expands depends on the mode (`regex` vs `checkRegex`), so `_make` is
//   left to do it, and until then the pending wildcard travels as this marker.
//   That is what keeps it apart from a user-escaped literal `\*`: the unescape
//   steps collapse the escaped one to the exact `\*` a wildcard would leave
//   behind, so by the time `_make` runs the two are otherwise the same string
//   and a literal star gets wrongly rewritten into a wildcard. The marker is a
//   private-use character, and `extractBrackets` keeps one that came out of the
//   pattern apart from it, so the only marker `_make` ever turns back into a
//   real wildcard is the one this chain put there itself.
const TRAILING_WILDCARD = '\uE000'

// A trailing "/**" is deferred the same way, because `checkRegex` has to tell
//   it apart from a trailing "/*" (see `checkSourceOf`). For `.ignores()` it
//   still never matches the folder itself (#21).
const TRAILING_DOUBLESTAR = '\uE001'

// The three characters above mean something to the chain that builds the
//   source rather than to the path, so one that came out of the pattern is
//   held aside like a bracket expression instead of going straight out. Being
//   held is what makes it safe: the restore runs after the step that anchors
//   the source, so the character comes back in the middle of the source and
//   not at its end, which is the one place `_make` and `checkSourceOf` look
//   for a marker. Without it a pattern's own character lands where a pending
//   marker sits, and `_make` turns it into a real trailing wildcard.
//
// It is held as a one-member class rather than bare, in both of the branches
//   a reserved character can reach, so that the property can be
//   read off this function alone -- a reserved character never goes out on
//   its own -- rather than depending on where in the chain the restore
//   happens to run. In the expression built here `[x]` matches exactly what
//   `x` matches, none of the three being special to a regular expression or
//   inside a class, so no test can tell the two apart: the class is insurance,
//   and the paragraph above is the reason it is not needed.
const isReserved = char =>
  char === PLACEHOLDER
  || char === TRAILING_WILDCARD
  || char === TRAILING_DOUBLESTAR

// Replace every bracket expression with a placeholder the replacers below
//   leave alone, and translate it separately.
const extractBrackets = pattern => {
  const sources = []
  const hold = source =>
    `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`

  const {length} = pattern
  let out = EMPTY
  let index = 0

  while (index < length) {
    const char = pattern[index]

    if (char === ESCAPE) {
      // > Put a backslash ("\") in front of ... a character to make it literal.
      //                                            (gitignore(5) -> fnmatch(3))
      // A backslash quotes the next character, whatever it is, so `\d` is a
      //   literal `d`, not the regex digit class, and `\?` is a literal `?`,
      //   not a wildcard. Held aside as its literal here, the escape never
      //   reaches the replacers below, which would otherwise let `\d`, `\b`,
      //   `\1`, `\/` keep their regular-expression meaning, and would turn a
      //   `\?` into `[^\/]`.
      //
      // Three escapes are still left for the chain: `\*` (a literal star,
      //   told apart from a wildcard by `TRAILING_WILDCARD` and the wildcard
      //   replacers), `\[` (a literal bracket, the one `[` the bracket
      //   replacer still expects), and `\ ` (a quoted space, which one pass
      //   below rewrites in bulk -- holding each one aside instead costs more
      //   on a pattern built out of them).
      //
      // A quoted backslash is not among them. The chain doubles every
      //   backslash, then takes the doubling back out again, and a quoted one
      //   standing next to a character the chain also escapes left the two
      //   counts sharing a run, so one of the escapes was lost. Held here as
      //   the literal it means, it never joins that run.
      const escaped = pattern[index + 1]

      if (escaped === SLASH && index + 2 === length) {
        // Git removes a final directory slash before matching. An escape
        //   without a character after that removal makes the pattern invalid.
        out += hold(NEVER_MATCH)
      } else if (
        escaped === '*'
        || escaped === '['
        || escaped === SPACE
      ) {
        out += pattern.slice(index, index + 2)
      } else {
        out += hold(
          REGEX_LITERAL_SPECIAL.test(escaped)
            ? ESCAPE + escaped
            : isReserved(escaped)
              ? `[${escaped}]`
              : escaped
        )
      }

      index += 2
    } else if (isReserved(char)) {
      out += hold(`[${char}]`)
      index ++
    } else if (char === '[') {
      const scanned = scanBracket(pattern, index)

      if (scanned === null) {
        // git gives up on the whole pattern (`WM_ABORT_ALL`), so whatever
        //   follows can not make it match either.
        out += hold(NEVER_MATCH)
        index = length
      } else {
        out += hold(scanned.source)
        index = scanned.end + 1
      }
    } else {
      out += char
      index ++
    }
  }

  return {
    source: out,
    sources
  }
}

// A step of the chain below is normally a `[matcher, replacer]` pair handed
//   to `String.replace`. `DIRECT` marks the ones that are plain string work
//   instead, and take `(source, pattern)`.
//
// Anchoring the two ends is exactly that -- a test of one character and a
//   concatenation -- and putting it through the regular expression engine
//   cost a third of this chain for nothing: 167ns where 10ns does the same
//   job. The two are still steps in the same list, in the same places,
//   because their position in the order is part of what they mean.
const DIRECT = null

// A separator at the beginning or in the middle of a pattern, as opposed to
//   one at the very end.
const REGEX_INNER_SLASH = /\/(?!$)/
const WILDCARD = '[^\\/]*'

// > If the pattern ends with a slash,
// > it is removed for the purpose of the following description,
// > but it would only find a match with a directory.
// > In other words, foo/ will match a directory foo and paths underneath it,
// > but will not match a regular file or a symbolic link foo
// >  (this is consistent with the way how pathspec works in general in Git).
// '`foo/`' will not match regular file '`foo`' or symbolic link '`foo`'
// -> ignore-rules will not deal with it, because it costs extra `fs.stat` call
//      you could use option `mark: true` with `glob`

// '`foo/`' should not continue with the '`..`'
// The chain that turns one gitignore pattern into a regular expression
//   source, in order. A step is either
//
//   [matcher, replacer]            handed to `String.replace`
//   [matcher, replacer, required]  the same, but skipped outright unless
//                                    `required` appears in the string, which
//                                    the matcher cannot match without
//   [DIRECT, transform]            plain string work, taking (source, pattern)
//
// The `required` character is only ever a shortcut: finding it does not mean
//   the matcher will match, and not finding it means it cannot. It is there
//   because scanning for one character costs a fraction of running a matcher
//   that then finds nothing -- for the wildcard step, whose `[^\\]+`
//   backtracks its way through the whole string before giving up, 11ns
//   against 400ns.
const REPLACERS = [

  // Replace (\ ) with ' '
  // Only a space: an escaped tab or other whitespace is already a literal by
  //   the time it reaches here, and a bare tab must be left as one, not turned
  //   into a space.
  // (\ ) -> ' '
  // (\\ ) -> '\\ '
  // (\\\ ) -> '\\ '
  [
    // A run of backslashes is taken whole, from its first one, so no match
    //   ever starts again inside it -- `(\\+?) ` did, which made a long run
    //   quadratic.
    /(\\+)( ?)/g,
    (_, run, space) => space
      ? run.slice(0, run.length - run.length % 2) + SPACE
      : run,
    ESCAPE + SPACE
  ],

  // git's wildmatch() reads a run of two or more asterisks as one globstar
  //   whenever the run fills a path segment: it starts the pattern or follows
  //   a `/`, and it ends the pattern or comes before a `/`. A run of two is
  //   already `**`; a longer one is folded into `**` here, so the steps
  //   below only ever have to know `**`.
  // `***/foo` -> `**/foo`, `a/***/b` -> `a/**/b`, `a/***` -> `a/**`
  // git also takes a run beside a literal prefix (`a***/b`) or beside an
  //   escaped slash (`***\/b`) as a globstar, and this does not; the README
  //   lists both, under "A run of asterisks".
  [
    /(^|\/)\*{3,}(?=\/|$)/g,
    (_, start) => `${start}**`,
    '*'
  ],

  // Escape metacharacters
  // which is written down by users but means special for regular expressions.

  // > There are 12 characters with special meanings:
  // > - the backslash \,
  // > - the caret ^,
  // > - the dollar sign $,
  // > - the period or dot .,
  // > - the vertical bar or pipe symbol |,
  // > - the question mark ?,
  // > - the asterisk or star *,
  // > - the plus sign +,
  // > - the opening parenthesis (,
  // > - the closing parenthesis ),
  // > - and the opening square bracket [,
  // > - the opening curly brace {,
  // > These special characters are often called "metacharacters".
  [
    /[\\$.|*+(){^]/g,
    match => `\\${match}`
  ],

  [
    // > a question mark (?) matches a single character
    /(?!\\)\?/g,
    () => '[^/]',
    '?'
  ],

  // leading slash
  [

    // > A leading slash matches the beginning of the pathname.
    // > For example, "/*.c" matches "cat-file.c" but not "mozilla-sha1/sha1.c".
    // A leading slash matches the beginning of the pathname
    /^\//,
    () => '^',
    SLASH
  ],

  // replace special metacharacter slash after the leading slash
  [
    /\//g,
    () => '\\/',
    SLASH
  ],

  [
    // > A leading "**" followed by a slash means match in all directories.
    // > For example, "**/foo" matches file or directory "foo" anywhere,
    // > the same as pattern "foo".
    // > "**/foo/bar" matches file or directory "bar" anywhere that is directly
    // >   under directory "foo".
    // Notice that the '*'s have been replaced as '\\*'
    /^\^*(?:\\\*\\\*\\\/)+/,

    // '**/foo' <-> 'foo'
    () => '(?:^|\\/)',
    '*'
  ],

  // starting
  [
    // there will be no leading '/'
    //   (which has been replaced by section "leading slash")
    // If starts with '**', adding a '^' to the regular expression also works
    DIRECT,
    (source, pattern) => {
      // Nothing to anchor to, or already anchored (`^` or `(?:^|\/)`)
      if (!source || source[0] === '^' || source[0] === '(') {
        return source
      }

      // If has a slash `/` at the beginning or middle
      const anchor = !REGEX_INNER_SLASH.test(pattern)
        // > Prior to 2.22.1
        // > If the pattern does not contain a slash /,
        // >   Git treats it as a shell glob pattern
        // Actually, if there is only a trailing slash,
        //   git also treats it as a shell glob pattern

        // After 2.22.1 (compatible but clearer)
        // > If there is a separator at the beginning or middle (or both)
        // > of the pattern, then the pattern is relative to the directory
        // > level of the particular .gitignore file itself.
        // > Otherwise the pattern may also match at any level below
        // > the .gitignore level.
        ? '(?:^|\\/)'

        // > Otherwise, Git treats the pattern as a shell glob suitable for
        // >   consumption by fnmatch(3)
        : '^'

      return anchor + source
    }
  ],

  // two globstars
  [
    // Use lookahead assertions so that we could match more than one `'/**'`
    /\\\/\\\*\\\*(?=\\\/|$)/g,

    // Zero, one or several directories
    // should not use '*', or it will be replaced by the next replacer

    // Check if it is not the last `'/**'`
    (_, index, str) => index + 6 < str.length

      // case: /**/ at the end of the pattern, i.e. a trailing `'/**/'`
      // > A trailing `"/**/"` (a trailing `"/**"` restricted to directories)
      // >   matches everything inside, but it should not match the current
      // >   folder itself, so it requires at least one directory segment.
      // 'a/**/' matches 'a/b/', 'a/x/y/' but not 'a/'
      ? str.slice(index + 6) === '\\/'
        ? '(?:\\/[^\\/]+)+'

        // case: /**/
        // > A slash followed by two consecutive asterisks then a slash matches
        // >   zero or more directories.
        // > For example, "a/**/b" matches "a/b", "a/x/b", "a/x/y/b" and so on.
        // '/**/'
        : '(?:\\/[^\\/]+)*'

      // case: /**
      // > A trailing `"/**"` matches everything inside.

      // #21: everything inside but it should not include the current folder,
      //   resolved by `_make`
      : `\\/${TRAILING_DOUBLESTAR}`,
    '*'
  ],

  // normal intermediate wildcards
  [
    // Never replace escaped '*'
    // ignore rule '\*' will match the path '*'

    // 'abc.*/' -> go
    // 'abc.*'  -> skip this rule,
    //    coz trailing single wildcard will be handed by [trailing wildcard]
    /(^|[^\\])(?:\\\*)+(?!$)/g,

    // '*.js' matches '.js'
    // '*.js' doesn't match 'abc'
    // 1. An asterisk "*" matches anything except a slash.
    // 2. Other consecutive asterisks are considered regular asterisks
    //    and collapse into one non-slash wildcard run.
    (_, p1) => p1 + WILDCARD,
    '*'
  ],

  // trailing wildcard, held apart from a literal star
  [
    // The step above leaves a trailing `*` alone, so a single `\*` is all that
    //   can be left at the end here, and what stands in front of it says which
    //   kind it is. A wildcard arrives as the escaper wrote it, `\*` with
    //   nothing before it; a literal arrives as the user's own escape, which
    //   the escaper doubled, and then the star's own -- `\\` and then `\*`.
    //   There is no third case: every backslash still reaching the chain is
    //   one `\*`, `\[` or `\ ` carries itself, and each is followed by its
    //   own character, so a longer run can never form. This runs while the
    //   two are still distinct, before the unescape steps below collapse the
    //   literal onto the very `\*` a wildcard leaves behind.
    /(^|[^\\])((?:\\\\)*)\\\*$/,

    (match, p1, p2) =>
      p2 === EMPTY
        // A real wildcard: carry it to `_make` as the marker, so the unescape
        //   steps and the trailing-wildcard rewrite can never mistake it for a
        //   literal `\*` (nor the reverse).
        ? p1 + TRAILING_WILDCARD
        // A literal star: leave it exactly as it stands for the unescape steps.
        : match,
    '*'
  ],

  [
    // unescape, revert step 3 except for back slash
    // For example, if a user escape a '\\*',
    // after step 3, the result will be '\\\\\\*'
    /\\\\\\(?=[$.|*+(){^])/g,
    () => ESCAPE,
    ESCAPE + ESCAPE
  ],

  [
    // '\\\\' -> '\\'
    /\\\\/g,
    () => ESCAPE,
    ESCAPE + ESCAPE
  ],

  [
    // Every real bracket expression -- POSIX classes included -- has already
    //   been held aside by `extractBrackets`, so the only `[` left in the
    //   pattern is an escaped, literal one.

    // A backslash could only stand at the end of the range if it quoted the
    //   `]`, and `\]` is held aside long before this.
    /\\\[([^\]/]*?)($|\])/g,

    // '\\[bar]' -> '\\\\[bar]'
    (match, range, close) => `\\[${range}${close}`,
    '['
  ],

  // ending
  [
    // 'js' will not match 'js.'
    // 'ab' will not match 'abc'
    DIRECT,

    // WTF!
    // https://git-scm.com/docs/gitignore
    // changes in [2.22.1](https://git-scm.com/docs/gitignore/2.22.1)
    // which re-fixes #24, #38

    // > If there is a separator at the end of the pattern then the pattern
    // > will only match directories, otherwise the pattern can match both
    // > files and directories.

    // 'js*' will not match 'a.js'
    // 'js/' will not match 'a.js'
    // 'js' will match 'a.js' and 'a.js/'
    source => {
      const last = source[source.length - 1]

      // The pattern is empty, or ends in a pending marker `_make` owns --
      //   the trailing wildcard, or a trailing "/**". A trailing `*` that is
      //   not the marker is a literal star, which anchors like any other
      //   final character.
      if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) {
        return source
      }

      return last === SLASH
        // foo/ will not match 'foo'
        ? `${source}$`
        // foo matches 'foo' and 'foo/'
        : `${source}(?=$|\\/$)`
    }
  ]
]

const REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/
const MODE_IGNORE = 'regex'
const MODE_CHECK_IGNORE = 'checkRegex'
const UNDERSCORE = '_'

const replaceTrailingWildcard = (_, p1) => {
  const prefix = p1
    // '\^':
    // '/*' does not match EMPTY
    // '/*' does not match everything

    // '\\\/':
    // 'abc/*' does not match 'abc/'
    ? `${p1}[^/]+`

    // 'a*' matches 'a'
    // 'a*' matches 'aa'
    : '[^/]*'

  return `${prefix}(?=$|\\/$)`
}

const REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/

// 'abc/**' matches everything under 'abc', but not 'abc/' itself (#21):
//   requiring one arbitrary character (line terminators included, #176)
//   after 'abc/' is necessary and sufficient for `.test(path)`.
const replaceTrailingDoublestar = () => '[\\s\\S]'

// The fixed piece between the wildcard at `at` and the next wildcard of the
//   run: the tokens that separate them, joined as they appear in the source.
//   A run never holds two wildcards in a row, so there is always at least one
//   token.
const separatorAfter = (run, at) => {
  let separator = EMPTY

  for (let index = at + 1; index < run.length && !run[index].wildcard; index ++) {
    separator += run[index].single
  }

  return separator
}

// Where a run of non-slash wildcards is split by fixed pieces --
//   `[^/]*ab[^/]*cd...` -- the engine has many equivalent ways to lay the
//   input across the wildcards, and on input that does not match it works
//   through all of them, so the time grows with the number of wildcards
//   rather than the length of the path. Every wildcard but the last in such a
//   run can be pinned to stop where the piece after it begins, which leaves
//   one way to lay out the input and no rewinding, without changing which
//   paths match: the fixed pieces still bound the count, and the last
//   wildcard still absorbs the rest.
//
// A wildcard is pinned to the whole piece, never to the piece's first
//   character. The pin leaves no way back, so a wildcard that stopped at that
//   first character would hand over wherever the character happens to turn
//   up, including the places the rest of the piece cannot follow -- which is
//   how `f*o/*/*` came to miss `foo/b/c`, the first `o` of `foo` not being
//   the one the `o/` after it needs. Every token of a piece matches exactly
//   one character, so the first place the whole piece fits is the leftmost
//   place it can sit, and whatever is left over goes to the wildcards that
//   follow.
//
// The source is read one token at a time -- a wildcard, a single-character
//   piece (a literal, an escape, a class), or a parenthesised group or anchor
//   that ends the run -- so only a genuine wildcard is touched.
const pinWildcards = source => {
  if (source.indexOf(WILDCARD) < 0) {
    return source
  }

  const tokens = []
  const {length} = source
  let index = 0

  while (index < length) {
    const char = source[index]

    if (source.startsWith(WILDCARD, index)) {
      tokens.push({wildcard: true})
      index += WILDCARD.length
    } else if (char === '[') {
      let end = index + 1

      if (source[end] === '^') {
        end ++
      }

      if (source[end] === ']') {
        end ++
      }

      while (end < length && source[end] !== ']') {
        end += source[end] === ESCAPE
          ? 2
          : 1
      }

      end ++
      tokens.push({single: source.slice(index, end)})
      index = end
    } else if (char === ESCAPE) {
      tokens.push({single: source.slice(index, index + 2)})
      index += 2
    } else if (char === '(') {
      let depth = 0
      let end = index

      do {
        if (source[end] === ESCAPE) {
          end ++
        } else if (source[end] === '(') {
          depth ++
        } else if (source[end] === ')') {
          depth --
        }

        end ++
      } while (end < length && depth > 0)

      if ('*+?'.indexOf(source[end]) >= 0) {
        end ++
      }

      tokens.push({boundary: source.slice(index, end)})
      index = end
    } else if (char === '^' || char === '$') {
      tokens.push({boundary: char})
      index ++
    } else {
      tokens.push({single: char})
      index ++
    }
  }

  let out = EMPTY
  let run = []

  const flush = () => {
    let lastWildcard

    run.forEach((token, at) => {
      if (token.wildcard) {
        lastWildcard = at
      }
    })

    run.forEach((token, at) => {
      if (!token.wildcard) {
        out += token.single
        return
      }

      // Every wildcard but the last is pinned to the whole piece that
      //   follows it, for the reason set out above this function. The last
      //   one stays as it is and takes up the rest.
      out += at === lastWildcard
        ? WILDCARD
        : `(?:(?!${separatorAfter(run, at)})[^\\/])*`
    })

    run = []
  }

  tokens.forEach(token => {
    if (token.boundary === undefined) {
      run.push(token)
      return
    }

    flush()
    out += token.boundary
  })

  flush()

  return out
}

// @param {pattern}
const makeRegexPrefix = pattern => {
  // `/**` matches every path, as `**` does. The translation below only finds
  //   a globstar beside a slash it keeps, and the leading one is turned into
  //   an anchor, so `/**` would come out as `/*` and match one level only.
  //   Here rather than in `createRule`, so that `checkSourceOf`, which
  //   compiles `/**/` again without its trailing slash, gets it too.
  if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) {
    pattern = '**'
  }

  const {source, sources} = extractBrackets(pattern)

  const replaced = REPLACERS.reduce(
    // A pass whose matcher finds nothing hands back the very string it was
    //   given, so asking first costs a search and saves a rewrite. Ten of the
    //   fifteen passes never fire for a typical .gitignore line, and between
    //   them they were 45% of this chain.
    (prev, [matcher, replacer, required]) => {
      if (matcher === DIRECT) {
        return replacer(prev, pattern)
      }

      if (required !== UNDEFINED && prev.indexOf(required) < 0) {
        return prev
      }

      // A pass whose matcher finds nothing hands back the very string it was
      //   given, so asking first costs a search and saves a rewrite.
      return matcher.test(prev)
        ? prev.replace(matcher, replacer.bind(pattern))
        : prev
    },
    source
  )

  // Most patterns hold no bracket expression at all, and then there is
  //   nothing to put back.
  return sources.length
    ? replaced.replace(
      REGEX_RESTORE_PLACEHOLDER,
      (match, index) => sources[index]
    )
    : replaced
}

// `checkRegex` tests a path with a trailing slash, 'abc/', the way
//   `git check-ignore` matches that literal string once the directory itself
//   is known not to be excluded (see `checkIgnore`): a trailing '/' of the
//   pattern is dropped, a basename pattern sees an empty basename, and only a
//   pattern whose last segment is a pending wildcard can match what is left
//   after the final slash -- 'abc/*' and 'abc/**' match 'abc/', and 'abc/**'
//   also matches 'abc/d/' (#77, #169).
const checkSourceOf = (body, prefix) => {
  if (body[body.length - 1] === SLASH) {
    prefix = makeRegexPrefix(body.slice(0, - 1))
  }

  const head = prefix.slice(0, - 1)
  const last = prefix[prefix.length - 1]

  return last === TRAILING_WILDCARD
    ? `${head}$`
    : last === TRAILING_DOUBLESTAR
      ? head
      : NEVER_MATCH
}

// A trailing slash does not stop a pattern being basename-only: it restricts
//   the match to a directory, it does not let the pattern reach across one.
//   Everything else a pattern can hold -- a wildcard, a character class, an
//   escape -- stays inside a single path segment too, so a pattern with no
//   separator in it can only ever describe the last one.
const matchesBasename = body => {
  const index = body.indexOf(SLASH)

  return index < 0 || index === body.length - 1
}

// The last segment of a path, keeping a trailing slash, because a pattern that
//   ends in one matches only a directory.
// 'a/b/c.js' -> 'c.js';  'a/b/' -> 'b/';  'c.js' -> 'c.js' (no copy made)
const basenameOf = path => {
  const end = path.length - 1

  const index = path.lastIndexOf(
    SLASH,
    path[end] === SLASH
      ? end - 1
      : end
  )

  return index < 0
    ? path
    : path.slice(index + 1)
}

// The parent directory of a path, with its trailing separator, or EMPTY when
//   the path has none.
// 'a/b/c' -> 'a/b/';  'a/b/' -> 'a/';  'a' -> EMPTY;  'a/' -> EMPTY
//
// A path holding an empty segment has to be taken apart, because its
//   ancestors are not prefixes of it: the parent of 'a//b' is 'a/', not
//   'a//', and the parent of '/a/' is nothing at all. Both shapes reach here
//   -- 'a//b' is accepted outright, and `checkIgnore` does not put the path
//   it is given through the relative-path check.
//
// Every other path is a prefix of itself, and cutting one costs a fraction of
//   splitting it into an array and joining that back at every level: 73ns
//   against 207ns.
const parentOf = path => {
  if (
    path.charCodeAt(0) === SLASH_CODE
    || path.indexOf(DOUBLE_SLASH) >= 0
  ) {
    const slices = path.split(SLASH).filter(Boolean)

    slices.pop()

    return slices.length
      ? slices.join(SLASH) + SLASH
      : EMPTY
  }

  const end = path.length - 1

  // Look back from before a trailing separator, since that one belongs to the
  //   path itself.
  //
  // A negative place to start would be a trap here: `lastIndexOf` clamps one
  //   to 0 and searches there rather than reporting no match, so '/' would
  //   come back as its own parent and the walk would never end. It cannot
  //   happen -- that is the only path short enough to produce one, and the
  //   test above has already sent it the other way.
  const cut = path.lastIndexOf(
    SLASH,
    path.charCodeAt(end) === SLASH_CODE
      ? end - 1
      : end
  )

  return cut < 0
    ? EMPTY
    : path.slice(0, cut + 1)
}

const isString = subject => typeof subject === 'string'

// Blank lines, comments and trailing lone backslashes are told by
//   `createRule`, once the pattern is normalized.
const checkPattern = pattern => pattern
  && isString(pattern)

// Git drops one CR before each LF, and one at the end of a final line that
//   has no LF after it.
const splitPattern = pattern => (
  pattern[pattern.length - 1] === '\r'
    ? pattern.slice(0, - 1)
    : pattern
)
.split(REGEX_SPLITALL_CRLF)
.filter(Boolean)

class IgnoreRule {
  constructor (
    pattern,
    mark,
    body,
    ignoreCase,
    negative,
    prefix
  ) {
    this.pattern = pattern
    this.mark = mark
    this.negative = negative

    define(this, 'body', body)
    define(this, 'ignoreCase', ignoreCase)
    define(this, 'regexPrefix', prefix)
  }

  // Worked out on first use and kept behind an own property, the way `regex`
  //   caches itself in `_regex`. Deciding it in the constructor instead would
  //   add a fourth `defineProperty` to every rule ever built, which cost 4% of
  //   every compile -- including the compiles of rules that are never matched
  //   against anything.
  get _basenameOnly () {
    return define(this, '_basenameOnly', matchesBasename(this.body))
  }

  get regex () {
    const key = UNDERSCORE + MODE_IGNORE

    if (this[key]) {
      return this[key]
    }

    return this._make(MODE_IGNORE, key)
  }

  get checkRegex () {
    const key = UNDERSCORE + MODE_CHECK_IGNORE

    if (this[key]) {
      return this[key]
    }

    return this._make(MODE_CHECK_IGNORE, key)
  }

  _make (mode, key) {
    const str = pinWildcards(
      mode === MODE_IGNORE
        ? this.regexPrefix
        .replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard)
        .replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar)
        : checkSourceOf(this.body, this.regexPrefix)
    )

    const regex = this.ignoreCase
      ? new RegExp(str, 'i')
      : new RegExp(str)

    return define(this, key, regex)
  }
}

const hasTrailingBackslash = str => {
  let count = 0

  while (str[str.length - count - 1] === ESCAPE) {
    count ++
  }

  return count % 2 === 1
}

// Read a line the way git does: when `stripLineEnd` is set (an unsplit array
//   or object pattern), drop any trailing blank lines along with the LF
//   before each and at most one CR at the end of the line; then trim trailing
//   spaces in the same backward pass. Git trims spaces only, and a space
//   escaped by an odd run of backslashes stays, unescaped, as the last one.
// Scanned from the end: a regular expression can only try each start in
//   turn, which is quadratic over a long run of spaces or backslashes.
// 'a  ' -> 'a';  'a\ ' -> 'a ';  'a\\ ' -> 'a\\';  'a\t' -> 'a\t'
// 'a\r\n' -> 'a';  'a\r\r' -> 'a\r';  'a\n\r' -> 'a'
const trimEnd = (body, stripLineEnd) => {
  let lineEnd = body.length
  let end

  for (;;) {
    if (stripLineEnd && body[lineEnd - 1] === '\r') {
      lineEnd --
    }

    end = lineEnd

    while (body[end - 1] === SPACE) {
      end --
    }

    if (!stripLineEnd || body[end - 1] !== '\n') {
      break
    }

    lineEnd = end - 1
  }

  if (end === lineEnd) {
    return body.slice(0, lineEnd)
  }

  let backslashes = 0

  while (body[end - backslashes - 1] === ESCAPE) {
    backslashes ++
  }

  return backslashes % 2
    ? body.slice(0, end - 1) + SPACE
    : body.slice(0, end)
}

const createRule = (
  pattern,
  mark,
  ignoreCase,
  stripLineEnd,
  stripBOM
) => {
  // Git drops a BOM before it reads the first line, so before anything else.
  let body = stripBOM && pattern[0] === BOM
    ? pattern.slice(1)
    : pattern

  // > A line starting with # serves as a comment.
  if (body[0] === '#') {
    return
  }

  let negative = false

  // > An optional prefix "!" which negates the pattern;
  if (body[0] === '!') {
    negative = true
    body = body.slice(1)
  }

  // Normalize the body before checking which slashes anchor the pattern.
  //   Otherwise `bar/ ` is mistaken for a pattern containing an inner slash.
  //   A line from `splitPattern` has already lost its line ending, so only a
  //   trailing space remains to trim there.
  const last = body[body.length - 1]

  if (
    last === SPACE
    || stripLineEnd && (last === '\r' || last === '\n')
  ) {
    body = trimEnd(body, stripLineEnd)
  }

  // > A blank line matches no files, so it can serve as a separator for
  // >   readability.
  // Nor does a lone "!", a pattern ending on an unpaired backslash, or
  //   anything else left empty here: an empty pattern would compile to a
  //   regex matching every path.
  if (!body || hasTrailingBackslash(body)) {
    return
  }

  body = body
  // > Put a backslash ("\") in front of the first "!" for patterns that
  // >   begin with a literal "!", for example, `"\!important!.txt"`.
  .replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, '!')
  // > Put a backslash ("\") in front of the first hash for patterns that
  // >   begin with a hash.
  .replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, '#')

  const regexPrefix = makeRegexPrefix(body)

  return new IgnoreRule(
    pattern,
    mark,
    body,
    ignoreCase,
    negative,
    regexPrefix
  )
}

class RuleManager {
  constructor (ignoreCase) {
    this._ignoreCase = ignoreCase
    this._rules = []

    // How many of the rules git would tag `EXC_FLAG_NODIR`.
    //
    // The scan uses it to decide, once for the whole set, whether handing
    //   those rules the basename is worth what it costs the others. The
    //   shortcut saves a full-path scan on every rule it applies to and costs
    //   a check on every rule it does not, so a set where almost nothing is
    //   basename-only comes out behind -- a 955 pattern set with 44 of them
    //   measured 19% slower with the shortcut always on.
    //
    // Deciding this by measurement rather than by meaning is safe: a
    //   basename-only pattern gives the very same answer against the whole
    //   path, it just takes longer to say so. The choice can only change how
    //   fast the scan runs, never what it returns.
    this._basenameCount = 0
  }

  _add (pattern, index) {
    // #32
    if (pattern && pattern[KEY_IGNORE]) {
      this._rules = this._rules.concat(pattern._rules._rules)
      this._basenameCount += pattern._rules._basenameCount
      this._added = true
      return
    }

    const isStr = isString(pattern)
    const raw = isStr
      ? pattern
      : pattern.pattern

    const rule = checkPattern(raw)
      && createRule(
        raw,
        isStr ? UNDEFINED : pattern.mark,
        this._ignoreCase,
        !this._split,
        this._stripBOM && !index
      )

    if (rule) {
      this._added = true
      this._rules.push(rule)

      // Deliberately not `rule._basenameOnly`: reading that would materialise
      //   the rule's own copy, and the whole point of leaving it lazy is that
      //   a rule which is compiled and never matched never pays for it.
      if (matchesBasename(rule.body)) {
        this._basenameCount ++
      }
    }
  }

  // @param {Array<string> | string | Ignore} pattern
  add (pattern) {
    this._added = false
    this._split = isString(pattern)
    this._stripBOM = !this._split || pattern[0] === BOM

    makeArray(
      this._split
        ? splitPattern(pattern)
        : pattern
    ).forEach(this._add, this)

    if (this._added) {
      this._literalRules = UNDEFINED
    }

    return this._added
  }

  // Match the literal 'abc/' for `checkIgnore`, last rule wins. Only a rule
  //   ending in a wildcard can match it (see `checkSourceOf`), so the rest
  //   are left out once, rather than tested or compiled for every path.
  testLiteral (path) {
    const rules = this._literalRules || (
      this._literalRules = this._rules.filter(
        ({body}) => body[body.length - (
          body[body.length - 1] === SLASH ? 2 : 1
        )] === '*'
      )
    )

    let ignored = false
    let unignored = false
    let matchedRule

    for (let index = rules.length - 1; index >= 0; index --) {
      const rule = rules[index]

      if (rule.checkRegex.test(path)) {
        ignored = !rule.negative
        unignored = rule.negative
        matchedRule = rule.negative
          ? UNDEFINED
          : rule
        break
      }
    }

    const ret = {
      ignored,
      unignored
    }

    if (matchedRule) {
      ret.rule = matchedRule
    }

    return ret
  }

  // Test one single path without recursively checking parent directories
  //
  // - mode `string` either `MODE_IGNORE` or `MODE_CHECK_IGNORE`

  // @returns {TestResult}
  test (path, mode) {
    // Most of a .gitignore is patterns with no slash in them, and running
    //   those against the whole path makes the regular expression engine walk
    //   every directory name on the way to the only segment that could match.
    //   Handing them the basename instead is what git does, and it is where
    //   the time in a directory walk goes: the rule scan was two thirds of it.
    const rules = this._rules
    const {length} = rules

    const shortcut = this._basenameCount * 2 >= length

    const basename = shortcut
      ? basenameOf(path)
      : path

    // The last rule to match decides, as in git, and it is the rule
    //   `git check-ignore -v` reports, so the scan runs from the end and stops
    //   at the first match.
    // A plain loop rather than `forEach`, so that `path`, `basename` and
    //   `shortcut` are locals. As a callback they became closure variables,
    //   and reaching for one of those once per rule cost 10% of a scan over a
    //   large rule set -- more than the shortcut they were there to serve.
    for (let index = length - 1; index >= 0; index --) {
      const rule = rules[index]

      if (rule[mode].test(
        shortcut && rule._basenameOnly
          ? basename
          : path
      )) {
        const {negative} = rule

        const ret = {
          ignored: !negative,
          unignored: negative
        }

        if (!negative) {
          ret.rule = rule
        }

        return ret
      }
    }

    return {
      ignored: false,
      unignored: false
    }
  }
}

const throwError = (message, Ctor) => {
  throw new Ctor(message)
}

const checkPath = (path, originalPath, doThrow) => {
  if (!isString(path)) {
    return doThrow(
      `path must be a string, but got \`${originalPath}\``,
      TypeError
    )
  }

  // We don't know if we should ignore EMPTY, so throw
  if (!path) {
    return doThrow(`path must not be empty`, TypeError)
  }

  // Check if it is a relative path
  if (checkPath.isNotRelative(path)) {
    const r = '`path.relative()`d'
    return doThrow(
      `path should be a ${r} string, but got "${originalPath}"`,
      RangeError
    )
  }

  return true
}

// > pathname should be a `path.relative()`d one
//
// The same thing `REGEX_TEST_INVALID_PATH` says, spelled out: a path is not
//   relative if it begins with a separator, or with `./` or `../`, or is
//   nothing but `.` or `..`. Every match is decided by the first three
//   characters, and this runs on every path handed to the library -- where it
//   was 55% of a cached lookup, more than the cache lookup itself.
const isNotRelative = path => {
  const first = path.charCodeAt(0)

  if (first === SLASH_CODE) {
    return true
  }

  if (first !== DOT_CODE) {
    return false
  }

  // '.'
  if (path.length === 1) {
    return true
  }

  const second = path.charCodeAt(1)

  // './'
  if (second === SLASH_CODE) {
    return true
  }

  if (second !== DOT_CODE) {
    return false
  }

  // '..' or '../'
  return path.length === 2 || path.charCodeAt(2) === SLASH_CODE
}

checkPath.isNotRelative = isNotRelative

// On windows, the following function will be replaced
/* istanbul ignore next */
checkPath.convert = p => p


const convertPath = target =>
  isString(target) && checkPath.convert(target)


class Ignore {
  constructor ({
    ignorecase = true,
    ignoreCase = ignorecase,
    allowRelativePaths = false
  } = {}) {
    define(this, KEY_IGNORE, true)

    this._rules = new RuleManager(ignoreCase)
    this._strictPathCheck = !allowRelativePaths
    this._initCache()
  }

  _initCache () {
    // A cache for the result of `.ignores()`
    this._ignoreCache = Object.create(null)

    // A cache for the result of `.test()`
    this._testCache = Object.create(null)
  }

  add (pattern) {
    if (this._rules.add(pattern)) {
      // Some rules have just added to the ignore,
      //   making the behavior changed,
      //   so we need to re-initialize the result cache
      this._initCache()
    }

    return this
  }

  // legacy
  addPattern (pattern) {
    return this.add(pattern)
  }

  // @returns {TestResult}
  _test (originalPath, cache, path) {
    checkPath(
      path,
      originalPath,
      this._strictPathCheck
        ? throwError
        : RETURN_FALSE
    )

    return path
      ? this._t(path, cache)
      : {
        ignored: false,
        unignored: false
      }
  }

  checkIgnore (target) {
    // A Windows path is converted first, so that a directory given with a
    //   trailing separator, `\` or `/`, is told the same way
    const path = convertPath(target)

    // If the path does not end with a slash, `.ignores()` is much equivalent
    //   to `git check-ignore`
    if (!path || path.charCodeAt(path.length - 1) !== SLASH_CODE) {
      return this._test(target, this._testCache, path)
    }

    // Like `git check-ignore`: a directory excluded by itself or by an
    //   ancestor settles it, and only then is the literal 'abc/' matched
    //   against the rules (see `checkSourceOf`).
    const dir = this._t(path, this._testCache)

    if (dir.ignored) {
      return dir
    }

    const literal = this._rules.testLiteral(path)

    return literal.ignored || literal.unignored
      ? literal
      : dir
  }

  _t (
    // The path to be tested
    path,

    // The cache for the result of a certain checking
    cache
  ) {
    if (path in cache) {
      return cache[path]
    }

    const parentPath = parentOf(path)

    // If the path contains a parent directory, check the parent first
    const parent = parentPath
      ? this._t(parentPath, cache)
      : UNDEFINED

    return cache[path] = parent && parent.ignored
      // > It is not possible to re-include a file if a parent directory of
      // >   that file is excluded.
      ? parent
      : this._rules.test(path, MODE_IGNORE)
  }

  ignores (path) {
    return this._test(path, this._ignoreCache, convertPath(path)).ignored
  }

  createFilter () {
    return path => !this.ignores(path)
  }

  filter (paths) {
    return makeArray(paths).filter(this.createFilter())
  }

  // @returns {TestResult}
  test (path) {
    return this._test(path, this._testCache, convertPath(path))
  }
}

const factory = options => new Ignore(options)

const isPathValid = path =>
  checkPath(convertPath(path), path, RETURN_FALSE)

/* istanbul ignore next */
const setupWindows = () => {
  /* eslint no-control-regex: "off" */
  const makePosix = str => /^\\\\\?\\/.test(str)
  || /["<>|\u0000-\u001F]+/u.test(str)
    ? str
    : str.replace(/\\/g, '/')

  checkPath.convert = makePosix

  // 'C:\\foo'     <- 'C:\\foo' has been converted to 'C:/'
  // 'd:\\foo'
  const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i
  checkPath.isNotRelative = path =>
    REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path)
    || isNotRelative(path)
}


// Windows
// --------------------------------------------------------------
/* istanbul ignore next */
if (
  // Detect `process` so that it can run in browsers.
  typeof process !== 'undefined'
  && process.platform === 'win32'
) {
  setupWindows()
}

// COMMONJS_EXPORTS ////////////////////////////////////////////////////////////

module.exports = factory

// Although it is an anti-pattern,
//   it is still widely misused by a lot of libraries in github
// Ref: https://github.com/search?q=ignore.default%28%29&type=code
factory.default = factory

module.exports.isPathValid = isPathValid

// For testing purposes
define(module.exports, Symbol.for('setupWindows'), setupWindows)


/***/ }),

/***/ 807:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./format", "./parser"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.isWS = exports.applyEdit = exports.setProperty = exports.removeProperty = void 0;
    const format_1 = __nccwpck_require__(612);
    const parser_1 = __nccwpck_require__(152);
    function removeProperty(text, path, options) {
        return setProperty(text, path, void 0, options);
    }
    exports.removeProperty = removeProperty;
    function setProperty(text, originalPath, value, options) {
        const path = originalPath.slice();
        const errors = [];
        const root = (0, parser_1.parseTree)(text, errors);
        let parent = void 0;
        let lastSegment = void 0;
        while (path.length > 0) {
            lastSegment = path.pop();
            parent = (0, parser_1.findNodeAtLocation)(root, path);
            if (parent === void 0 && value !== void 0) {
                if (typeof lastSegment === 'string') {
                    value = { [lastSegment]: value };
                }
                else {
                    value = [value];
                }
            }
            else {
                break;
            }
        }
        if (!parent) {
            // empty document
            if (value === void 0) { // delete
                throw new Error('Can not delete in empty document');
            }
            return withFormatting(text, { offset: root ? root.offset : 0, length: root ? root.length : 0, content: JSON.stringify(value) }, options);
        }
        else if (parent.type === 'object' && typeof lastSegment === 'string' && Array.isArray(parent.children)) {
            const existing = (0, parser_1.findNodeAtLocation)(parent, [lastSegment]);
            if (existing !== void 0) {
                if (value === void 0) { // delete
                    if (!existing.parent) {
                        throw new Error('Malformed AST');
                    }
                    const propertyIndex = parent.children.indexOf(existing.parent);
                    let removeBegin;
                    let removeEnd = existing.parent.offset + existing.parent.length;
                    if (propertyIndex > 0) {
                        // remove the comma of the previous node
                        let previous = parent.children[propertyIndex - 1];
                        removeBegin = previous.offset + previous.length;
                    }
                    else {
                        removeBegin = parent.offset + 1;
                        if (parent.children.length > 1) {
                            // remove the comma of the next node
                            let next = parent.children[1];
                            removeEnd = next.offset;
                        }
                    }
                    return withFormatting(text, { offset: removeBegin, length: removeEnd - removeBegin, content: '' }, options);
                }
                else {
                    // set value of existing property
                    return withFormatting(text, { offset: existing.offset, length: existing.length, content: JSON.stringify(value) }, options);
                }
            }
            else {
                if (value === void 0) { // delete
                    return []; // property does not exist, nothing to do
                }
                const newProperty = `${JSON.stringify(lastSegment)}: ${JSON.stringify(value)}`;
                const index = options.getInsertionIndex ? options.getInsertionIndex(parent.children.map(p => p.children[0].value)) : parent.children.length;
                let edit;
                if (index > 0) {
                    let previous = parent.children[index - 1];
                    edit = { offset: previous.offset + previous.length, length: 0, content: ',' + newProperty };
                }
                else if (parent.children.length === 0) {
                    edit = { offset: parent.offset + 1, length: 0, content: newProperty };
                }
                else {
                    edit = { offset: parent.offset + 1, length: 0, content: newProperty + ',' };
                }
                return withFormatting(text, edit, options);
            }
        }
        else if (parent.type === 'array' && typeof lastSegment === 'number' && Array.isArray(parent.children)) {
            const insertIndex = lastSegment;
            if (insertIndex === -1) {
                // Insert
                const newProperty = `${JSON.stringify(value)}`;
                let edit;
                if (parent.children.length === 0) {
                    edit = { offset: parent.offset + 1, length: 0, content: newProperty };
                }
                else {
                    const previous = parent.children[parent.children.length - 1];
                    edit = { offset: previous.offset + previous.length, length: 0, content: ',' + newProperty };
                }
                return withFormatting(text, edit, options);
            }
            else if (value === void 0 && parent.children.length >= 0) {
                // Removal
                const removalIndex = lastSegment;
                const toRemove = parent.children[removalIndex];
                let edit;
                if (parent.children.length === 1) {
                    // only item
                    edit = { offset: parent.offset + 1, length: parent.length - 2, content: '' };
                }
                else if (parent.children.length - 1 === removalIndex) {
                    // last item
                    let previous = parent.children[removalIndex - 1];
                    let offset = previous.offset + previous.length;
                    let parentEndOffset = parent.offset + parent.length;
                    edit = { offset, length: parentEndOffset - 2 - offset, content: '' };
                }
                else {
                    edit = { offset: toRemove.offset, length: parent.children[removalIndex + 1].offset - toRemove.offset, content: '' };
                }
                return withFormatting(text, edit, options);
            }
            else if (value !== void 0) {
                let edit;
                const newProperty = `${JSON.stringify(value)}`;
                if (!options.isArrayInsertion && parent.children.length > lastSegment) {
                    const toModify = parent.children[lastSegment];
                    edit = { offset: toModify.offset, length: toModify.length, content: newProperty };
                }
                else if (parent.children.length === 0 || lastSegment === 0) {
                    edit = { offset: parent.offset + 1, length: 0, content: parent.children.length === 0 ? newProperty : newProperty + ',' };
                }
                else {
                    const index = lastSegment > parent.children.length ? parent.children.length : lastSegment;
                    const previous = parent.children[index - 1];
                    edit = { offset: previous.offset + previous.length, length: 0, content: ',' + newProperty };
                }
                return withFormatting(text, edit, options);
            }
            else {
                throw new Error(`Can not ${value === void 0 ? 'remove' : (options.isArrayInsertion ? 'insert' : 'modify')} Array index ${insertIndex} as length is not sufficient`);
            }
        }
        else {
            throw new Error(`Can not add ${typeof lastSegment !== 'number' ? 'index' : 'property'} to parent of type ${parent.type}`);
        }
    }
    exports.setProperty = setProperty;
    function withFormatting(text, edit, options) {
        if (!options.formattingOptions) {
            return [edit];
        }
        // apply the edit
        let newText = applyEdit(text, edit);
        // format the new text
        let begin = edit.offset;
        let end = edit.offset + edit.content.length;
        if (edit.length === 0 || edit.content.length === 0) { // insert or remove
            while (begin > 0 && !(0, format_1.isEOL)(newText, begin - 1)) {
                begin--;
            }
            while (end < newText.length && !(0, format_1.isEOL)(newText, end)) {
                end++;
            }
        }
        const edits = (0, format_1.format)(newText, { offset: begin, length: end - begin }, { ...options.formattingOptions, keepLines: false });
        // apply the formatting edits and track the begin and end offsets of the changes
        for (let i = edits.length - 1; i >= 0; i--) {
            const edit = edits[i];
            newText = applyEdit(newText, edit);
            begin = Math.min(begin, edit.offset);
            end = Math.max(end, edit.offset + edit.length);
            end += edit.content.length - edit.length;
        }
        // create a single edit with all changes
        const editLength = text.length - (newText.length - end) - begin;
        return [{ offset: begin, length: editLength, content: newText.substring(begin, end) }];
    }
    function applyEdit(text, edit) {
        return text.substring(0, edit.offset) + edit.content + text.substring(edit.offset + edit.length);
    }
    exports.applyEdit = applyEdit;
    function isWS(text, offset) {
        return '\r\n \t'.indexOf(text.charAt(offset)) !== -1;
    }
    exports.isWS = isWS;
});


/***/ }),

/***/ 612:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./scanner", "./string-intern"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.isEOL = exports.format = void 0;
    const scanner_1 = __nccwpck_require__(525);
    const string_intern_1 = __nccwpck_require__(579);
    function format(documentText, range, options) {
        let initialIndentLevel;
        let formatText;
        let formatTextStart;
        let rangeStart;
        let rangeEnd;
        if (range) {
            rangeStart = range.offset;
            rangeEnd = rangeStart + range.length;
            formatTextStart = rangeStart;
            while (formatTextStart > 0 && !isEOL(documentText, formatTextStart - 1)) {
                formatTextStart--;
            }
            let endOffset = rangeEnd;
            while (endOffset < documentText.length && !isEOL(documentText, endOffset)) {
                endOffset++;
            }
            formatText = documentText.substring(formatTextStart, endOffset);
            initialIndentLevel = computeIndentLevel(formatText, options);
        }
        else {
            formatText = documentText;
            initialIndentLevel = 0;
            formatTextStart = 0;
            rangeStart = 0;
            rangeEnd = documentText.length;
        }
        const eol = getEOL(options, documentText);
        const eolFastPathSupported = string_intern_1.supportedEols.includes(eol);
        let numberLineBreaks = 0;
        let indentLevel = 0;
        let indentValue;
        if (options.insertSpaces) {
            indentValue = string_intern_1.cachedSpaces[options.tabSize || 4] ?? repeat(string_intern_1.cachedSpaces[1], options.tabSize || 4);
        }
        else {
            indentValue = '\t';
        }
        const indentType = indentValue === '\t' ? '\t' : ' ';
        let scanner = (0, scanner_1.createScanner)(formatText, false);
        let hasError = false;
        function newLinesAndIndent() {
            if (numberLineBreaks > 1) {
                return repeat(eol, numberLineBreaks) + repeat(indentValue, initialIndentLevel + indentLevel);
            }
            const amountOfSpaces = indentValue.length * (initialIndentLevel + indentLevel);
            if (!eolFastPathSupported || amountOfSpaces > string_intern_1.cachedBreakLinesWithSpaces[indentType][eol].length) {
                return eol + repeat(indentValue, initialIndentLevel + indentLevel);
            }
            if (amountOfSpaces <= 0) {
                return eol;
            }
            return string_intern_1.cachedBreakLinesWithSpaces[indentType][eol][amountOfSpaces];
        }
        function scanNext() {
            let token = scanner.scan();
            numberLineBreaks = 0;
            while (token === 15 /* SyntaxKind.Trivia */ || token === 14 /* SyntaxKind.LineBreakTrivia */) {
                if (token === 14 /* SyntaxKind.LineBreakTrivia */ && options.keepLines) {
                    numberLineBreaks += 1;
                }
                else if (token === 14 /* SyntaxKind.LineBreakTrivia */) {
                    numberLineBreaks = 1;
                }
                token = scanner.scan();
            }
            hasError = token === 16 /* SyntaxKind.Unknown */ || scanner.getTokenError() !== 0 /* ScanError.None */;
            return token;
        }
        const editOperations = [];
        function addEdit(text, startOffset, endOffset) {
            if (!hasError && (!range || (startOffset < rangeEnd && endOffset > rangeStart)) && documentText.substring(startOffset, endOffset) !== text) {
                editOperations.push({ offset: startOffset, length: endOffset - startOffset, content: text });
            }
        }
        let firstToken = scanNext();
        if (options.keepLines && numberLineBreaks > 0) {
            addEdit(repeat(eol, numberLineBreaks), 0, 0);
        }
        if (firstToken !== 17 /* SyntaxKind.EOF */) {
            let firstTokenStart = scanner.getTokenOffset() + formatTextStart;
            let initialIndent = (indentValue.length * initialIndentLevel < 20) && options.insertSpaces
                ? string_intern_1.cachedSpaces[indentValue.length * initialIndentLevel]
                : repeat(indentValue, initialIndentLevel);
            addEdit(initialIndent, formatTextStart, firstTokenStart);
        }
        while (firstToken !== 17 /* SyntaxKind.EOF */) {
            let firstTokenEnd = scanner.getTokenOffset() + scanner.getTokenLength() + formatTextStart;
            let secondToken = scanNext();
            let replaceContent = '';
            let needsLineBreak = false;
            while (numberLineBreaks === 0 && (secondToken === 12 /* SyntaxKind.LineCommentTrivia */ || secondToken === 13 /* SyntaxKind.BlockCommentTrivia */)) {
                let commentTokenStart = scanner.getTokenOffset() + formatTextStart;
                addEdit(string_intern_1.cachedSpaces[1], firstTokenEnd, commentTokenStart);
                firstTokenEnd = scanner.getTokenOffset() + scanner.getTokenLength() + formatTextStart;
                needsLineBreak = secondToken === 12 /* SyntaxKind.LineCommentTrivia */;
                replaceContent = needsLineBreak ? newLinesAndIndent() : '';
                secondToken = scanNext();
            }
            if (secondToken === 2 /* SyntaxKind.CloseBraceToken */) {
                if (firstToken !== 1 /* SyntaxKind.OpenBraceToken */) {
                    indentLevel--;
                }
                ;
                if (options.keepLines && numberLineBreaks > 0 || !options.keepLines && firstToken !== 1 /* SyntaxKind.OpenBraceToken */) {
                    replaceContent = newLinesAndIndent();
                }
                else if (options.keepLines) {
                    replaceContent = string_intern_1.cachedSpaces[1];
                }
            }
            else if (secondToken === 4 /* SyntaxKind.CloseBracketToken */) {
                if (firstToken !== 3 /* SyntaxKind.OpenBracketToken */) {
                    indentLevel--;
                }
                ;
                if (options.keepLines && numberLineBreaks > 0 || !options.keepLines && firstToken !== 3 /* SyntaxKind.OpenBracketToken */) {
                    replaceContent = newLinesAndIndent();
                }
                else if (options.keepLines) {
                    replaceContent = string_intern_1.cachedSpaces[1];
                }
            }
            else {
                switch (firstToken) {
                    case 3 /* SyntaxKind.OpenBracketToken */:
                    case 1 /* SyntaxKind.OpenBraceToken */:
                        indentLevel++;
                        if (options.keepLines && numberLineBreaks > 0 || !options.keepLines) {
                            replaceContent = newLinesAndIndent();
                        }
                        else {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 5 /* SyntaxKind.CommaToken */:
                        if (options.keepLines && numberLineBreaks > 0 || !options.keepLines) {
                            replaceContent = newLinesAndIndent();
                        }
                        else {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 12 /* SyntaxKind.LineCommentTrivia */:
                        replaceContent = newLinesAndIndent();
                        break;
                    case 13 /* SyntaxKind.BlockCommentTrivia */:
                        if (numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else if (!needsLineBreak) {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 6 /* SyntaxKind.ColonToken */:
                        if (options.keepLines && numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else if (!needsLineBreak) {
                            replaceContent = string_intern_1.cachedSpaces[1];
                        }
                        break;
                    case 10 /* SyntaxKind.StringLiteral */:
                        if (options.keepLines && numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else if (secondToken === 6 /* SyntaxKind.ColonToken */ && !needsLineBreak) {
                            replaceContent = '';
                        }
                        break;
                    case 7 /* SyntaxKind.NullKeyword */:
                    case 8 /* SyntaxKind.TrueKeyword */:
                    case 9 /* SyntaxKind.FalseKeyword */:
                    case 11 /* SyntaxKind.NumericLiteral */:
                    case 2 /* SyntaxKind.CloseBraceToken */:
                    case 4 /* SyntaxKind.CloseBracketToken */:
                        if (options.keepLines && numberLineBreaks > 0) {
                            replaceContent = newLinesAndIndent();
                        }
                        else {
                            if ((secondToken === 12 /* SyntaxKind.LineCommentTrivia */ || secondToken === 13 /* SyntaxKind.BlockCommentTrivia */) && !needsLineBreak) {
                                replaceContent = string_intern_1.cachedSpaces[1];
                            }
                            else if (secondToken !== 5 /* SyntaxKind.CommaToken */ && secondToken !== 17 /* SyntaxKind.EOF */) {
                                hasError = true;
                            }
                        }
                        break;
                    case 16 /* SyntaxKind.Unknown */:
                        hasError = true;
                        break;
                }
                if (numberLineBreaks > 0 && (secondToken === 12 /* SyntaxKind.LineCommentTrivia */ || secondToken === 13 /* SyntaxKind.BlockCommentTrivia */)) {
                    replaceContent = newLinesAndIndent();
                }
            }
            if (secondToken === 17 /* SyntaxKind.EOF */) {
                if (options.keepLines && numberLineBreaks > 0) {
                    replaceContent = newLinesAndIndent();
                }
                else {
                    replaceContent = options.insertFinalNewline ? eol : '';
                }
            }
            const secondTokenStart = scanner.getTokenOffset() + formatTextStart;
            addEdit(replaceContent, firstTokenEnd, secondTokenStart);
            firstToken = secondToken;
        }
        return editOperations;
    }
    exports.format = format;
    function repeat(s, count) {
        let result = '';
        for (let i = 0; i < count; i++) {
            result += s;
        }
        return result;
    }
    function computeIndentLevel(content, options) {
        let i = 0;
        let nChars = 0;
        const tabSize = options.tabSize || 4;
        while (i < content.length) {
            let ch = content.charAt(i);
            if (ch === string_intern_1.cachedSpaces[1]) {
                nChars++;
            }
            else if (ch === '\t') {
                nChars += tabSize;
            }
            else {
                break;
            }
            i++;
        }
        return Math.floor(nChars / tabSize);
    }
    function getEOL(options, text) {
        for (let i = 0; i < text.length; i++) {
            const ch = text.charAt(i);
            if (ch === '\r') {
                if (i + 1 < text.length && text.charAt(i + 1) === '\n') {
                    return '\r\n';
                }
                return '\r';
            }
            else if (ch === '\n') {
                return '\n';
            }
        }
        return (options && options.eol) || '\n';
    }
    function isEOL(text, offset) {
        return '\r\n'.indexOf(text.charAt(offset)) !== -1;
    }
    exports.isEOL = isEOL;
});


/***/ }),

/***/ 152:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./scanner"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.getNodeType = exports.stripComments = exports.visit = exports.findNodeAtOffset = exports.contains = exports.getNodeValue = exports.getNodePath = exports.findNodeAtLocation = exports.parseTree = exports.parse = exports.getLocation = void 0;
    const scanner_1 = __nccwpck_require__(525);
    var ParseOptions;
    (function (ParseOptions) {
        ParseOptions.DEFAULT = {
            allowTrailingComma: false
        };
    })(ParseOptions || (ParseOptions = {}));
    /**
     * For a given offset, evaluate the location in the JSON document. Each segment in the location path is either a property name or an array index.
     */
    function getLocation(text, position) {
        const segments = []; // strings or numbers
        const earlyReturnException = new Object();
        let previousNode = undefined;
        const previousNodeInst = {
            value: {},
            offset: 0,
            length: 0,
            type: 'object',
            parent: undefined
        };
        let isAtPropertyKey = false;
        function setPreviousNode(value, offset, length, type) {
            previousNodeInst.value = value;
            previousNodeInst.offset = offset;
            previousNodeInst.length = length;
            previousNodeInst.type = type;
            previousNodeInst.colonOffset = undefined;
            previousNode = previousNodeInst;
        }
        try {
            visit(text, {
                onObjectBegin: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    isAtPropertyKey = position > offset;
                    segments.push(''); // push a placeholder (will be replaced)
                },
                onObjectProperty: (name, offset, length) => {
                    if (position < offset) {
                        throw earlyReturnException;
                    }
                    setPreviousNode(name, offset, length, 'property');
                    segments[segments.length - 1] = name;
                    if (position <= offset + length) {
                        throw earlyReturnException;
                    }
                },
                onObjectEnd: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    segments.pop();
                },
                onArrayBegin: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    segments.push(0);
                },
                onArrayEnd: (offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    previousNode = undefined;
                    segments.pop();
                },
                onLiteralValue: (value, offset, length) => {
                    if (position < offset) {
                        throw earlyReturnException;
                    }
                    setPreviousNode(value, offset, length, getNodeType(value));
                    if (position <= offset + length) {
                        throw earlyReturnException;
                    }
                },
                onSeparator: (sep, offset, length) => {
                    if (position <= offset) {
                        throw earlyReturnException;
                    }
                    if (sep === ':' && previousNode && previousNode.type === 'property') {
                        previousNode.colonOffset = offset;
                        isAtPropertyKey = false;
                        previousNode = undefined;
                    }
                    else if (sep === ',') {
                        const last = segments[segments.length - 1];
                        if (typeof last === 'number') {
                            segments[segments.length - 1] = last + 1;
                        }
                        else {
                            isAtPropertyKey = true;
                            segments[segments.length - 1] = '';
                        }
                        previousNode = undefined;
                    }
                }
            });
        }
        catch (e) {
            if (e !== earlyReturnException) {
                throw e;
            }
        }
        return {
            path: segments,
            previousNode,
            isAtPropertyKey,
            matches: (pattern) => {
                let k = 0;
                for (let i = 0; k < pattern.length && i < segments.length; i++) {
                    if (pattern[k] === segments[i] || pattern[k] === '*') {
                        k++;
                    }
                    else if (pattern[k] !== '**') {
                        return false;
                    }
                }
                return k === pattern.length;
            }
        };
    }
    exports.getLocation = getLocation;
    /**
     * Parses the given text and returns the object the JSON content represents. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     * Therefore always check the errors list to find out if the input was valid.
     */
    function parse(text, errors = [], options = ParseOptions.DEFAULT) {
        let currentProperty = null;
        let currentParent = [];
        const previousParents = [];
        function onValue(value) {
            if (Array.isArray(currentParent)) {
                currentParent.push(value);
            }
            else if (currentProperty !== null) {
                currentParent[currentProperty] = value;
            }
        }
        const visitor = {
            onObjectBegin: () => {
                const object = {};
                onValue(object);
                previousParents.push(currentParent);
                currentParent = object;
                currentProperty = null;
            },
            onObjectProperty: (name) => {
                currentProperty = name;
            },
            onObjectEnd: () => {
                currentParent = previousParents.pop();
            },
            onArrayBegin: () => {
                const array = [];
                onValue(array);
                previousParents.push(currentParent);
                currentParent = array;
                currentProperty = null;
            },
            onArrayEnd: () => {
                currentParent = previousParents.pop();
            },
            onLiteralValue: onValue,
            onError: (error, offset, length) => {
                errors.push({ error, offset, length });
            }
        };
        visit(text, visitor, options);
        return currentParent[0];
    }
    exports.parse = parse;
    /**
     * Parses the given text and returns a tree representation the JSON content. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     */
    function parseTree(text, errors = [], options = ParseOptions.DEFAULT) {
        let currentParent = { type: 'array', offset: -1, length: -1, children: [], parent: undefined }; // artificial root
        function ensurePropertyComplete(endOffset) {
            if (currentParent.type === 'property') {
                currentParent.length = endOffset - currentParent.offset;
                currentParent = currentParent.parent;
            }
        }
        function onValue(valueNode) {
            currentParent.children.push(valueNode);
            return valueNode;
        }
        const visitor = {
            onObjectBegin: (offset) => {
                currentParent = onValue({ type: 'object', offset, length: -1, parent: currentParent, children: [] });
            },
            onObjectProperty: (name, offset, length) => {
                currentParent = onValue({ type: 'property', offset, length: -1, parent: currentParent, children: [] });
                currentParent.children.push({ type: 'string', value: name, offset, length, parent: currentParent });
            },
            onObjectEnd: (offset, length) => {
                ensurePropertyComplete(offset + length); // in case of a missing value for a property: make sure property is complete
                currentParent.length = offset + length - currentParent.offset;
                currentParent = currentParent.parent;
                ensurePropertyComplete(offset + length);
            },
            onArrayBegin: (offset, length) => {
                currentParent = onValue({ type: 'array', offset, length: -1, parent: currentParent, children: [] });
            },
            onArrayEnd: (offset, length) => {
                currentParent.length = offset + length - currentParent.offset;
                currentParent = currentParent.parent;
                ensurePropertyComplete(offset + length);
            },
            onLiteralValue: (value, offset, length) => {
                onValue({ type: getNodeType(value), offset, length, parent: currentParent, value });
                ensurePropertyComplete(offset + length);
            },
            onSeparator: (sep, offset, length) => {
                if (currentParent.type === 'property') {
                    if (sep === ':') {
                        currentParent.colonOffset = offset;
                    }
                    else if (sep === ',') {
                        ensurePropertyComplete(offset);
                    }
                }
            },
            onError: (error, offset, length) => {
                errors.push({ error, offset, length });
            }
        };
        visit(text, visitor, options);
        const result = currentParent.children[0];
        if (result) {
            delete result.parent;
        }
        return result;
    }
    exports.parseTree = parseTree;
    /**
     * Finds the node at the given path in a JSON DOM.
     */
    function findNodeAtLocation(root, path) {
        if (!root) {
            return undefined;
        }
        let node = root;
        for (let segment of path) {
            if (typeof segment === 'string') {
                if (node.type !== 'object' || !Array.isArray(node.children)) {
                    return undefined;
                }
                let found = false;
                for (const propertyNode of node.children) {
                    if (Array.isArray(propertyNode.children) && propertyNode.children[0].value === segment && propertyNode.children.length === 2) {
                        node = propertyNode.children[1];
                        found = true;
                        break;
                    }
                }
                if (!found) {
                    return undefined;
                }
            }
            else {
                const index = segment;
                if (node.type !== 'array' || index < 0 || !Array.isArray(node.children) || index >= node.children.length) {
                    return undefined;
                }
                node = node.children[index];
            }
        }
        return node;
    }
    exports.findNodeAtLocation = findNodeAtLocation;
    /**
     * Gets the JSON path of the given JSON DOM node
     */
    function getNodePath(node) {
        if (!node.parent || !node.parent.children) {
            return [];
        }
        const path = getNodePath(node.parent);
        if (node.parent.type === 'property') {
            const key = node.parent.children[0].value;
            path.push(key);
        }
        else if (node.parent.type === 'array') {
            const index = node.parent.children.indexOf(node);
            if (index !== -1) {
                path.push(index);
            }
        }
        return path;
    }
    exports.getNodePath = getNodePath;
    /**
     * Evaluates the JavaScript object of the given JSON DOM node
     */
    function getNodeValue(node) {
        switch (node.type) {
            case 'array':
                return node.children.map(getNodeValue);
            case 'object':
                const obj = Object.create(null);
                for (let prop of node.children) {
                    const valueNode = prop.children[1];
                    if (valueNode) {
                        obj[prop.children[0].value] = getNodeValue(valueNode);
                    }
                }
                return obj;
            case 'null':
            case 'string':
            case 'number':
            case 'boolean':
                return node.value;
            default:
                return undefined;
        }
    }
    exports.getNodeValue = getNodeValue;
    function contains(node, offset, includeRightBound = false) {
        return (offset >= node.offset && offset < (node.offset + node.length)) || includeRightBound && (offset === (node.offset + node.length));
    }
    exports.contains = contains;
    /**
     * Finds the most inner node at the given offset. If includeRightBound is set, also finds nodes that end at the given offset.
     */
    function findNodeAtOffset(node, offset, includeRightBound = false) {
        if (contains(node, offset, includeRightBound)) {
            const children = node.children;
            if (Array.isArray(children)) {
                for (let i = 0; i < children.length && children[i].offset <= offset; i++) {
                    const item = findNodeAtOffset(children[i], offset, includeRightBound);
                    if (item) {
                        return item;
                    }
                }
            }
            return node;
        }
        return undefined;
    }
    exports.findNodeAtOffset = findNodeAtOffset;
    /**
     * Parses the given text and invokes the visitor functions for each object, array and literal reached.
     */
    function visit(text, visitor, options = ParseOptions.DEFAULT) {
        const _scanner = (0, scanner_1.createScanner)(text, false);
        // Important: Only pass copies of this to visitor functions to prevent accidental modification, and
        // to not affect visitor functions which stored a reference to a previous JSONPath
        const _jsonPath = [];
        // Depth of onXXXBegin() callbacks suppressed. onXXXEnd() decrements this if it isn't 0 already.
        // Callbacks are only called when this value is 0.
        let suppressedCallbacks = 0;
        function toNoArgVisit(visitFunction) {
            return visitFunction ? () => suppressedCallbacks === 0 && visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter()) : () => true;
        }
        function toOneArgVisit(visitFunction) {
            return visitFunction ? (arg) => suppressedCallbacks === 0 && visitFunction(arg, _scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter()) : () => true;
        }
        function toOneArgVisitWithPath(visitFunction) {
            return visitFunction ? (arg) => suppressedCallbacks === 0 && visitFunction(arg, _scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter(), () => _jsonPath.slice()) : () => true;
        }
        function toBeginVisit(visitFunction) {
            return visitFunction ?
                () => {
                    if (suppressedCallbacks > 0) {
                        suppressedCallbacks++;
                    }
                    else {
                        let cbReturn = visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter(), () => _jsonPath.slice());
                        if (cbReturn === false) {
                            suppressedCallbacks = 1;
                        }
                    }
                }
                : () => true;
        }
        function toEndVisit(visitFunction) {
            return visitFunction ?
                () => {
                    if (suppressedCallbacks > 0) {
                        suppressedCallbacks--;
                    }
                    if (suppressedCallbacks === 0) {
                        visitFunction(_scanner.getTokenOffset(), _scanner.getTokenLength(), _scanner.getTokenStartLine(), _scanner.getTokenStartCharacter());
                    }
                }
                : () => true;
        }
        const onObjectBegin = toBeginVisit(visitor.onObjectBegin), onObjectProperty = toOneArgVisitWithPath(visitor.onObjectProperty), onObjectEnd = toEndVisit(visitor.onObjectEnd), onArrayBegin = toBeginVisit(visitor.onArrayBegin), onArrayEnd = toEndVisit(visitor.onArrayEnd), onLiteralValue = toOneArgVisitWithPath(visitor.onLiteralValue), onSeparator = toOneArgVisit(visitor.onSeparator), onComment = toNoArgVisit(visitor.onComment), onError = toOneArgVisit(visitor.onError);
        const disallowComments = options && options.disallowComments;
        const allowTrailingComma = options && options.allowTrailingComma;
        function scanNext() {
            while (true) {
                const token = _scanner.scan();
                switch (_scanner.getTokenError()) {
                    case 4 /* ScanError.InvalidUnicode */:
                        handleError(14 /* ParseErrorCode.InvalidUnicode */);
                        break;
                    case 5 /* ScanError.InvalidEscapeCharacter */:
                        handleError(15 /* ParseErrorCode.InvalidEscapeCharacter */);
                        break;
                    case 3 /* ScanError.UnexpectedEndOfNumber */:
                        handleError(13 /* ParseErrorCode.UnexpectedEndOfNumber */);
                        break;
                    case 1 /* ScanError.UnexpectedEndOfComment */:
                        if (!disallowComments) {
                            handleError(11 /* ParseErrorCode.UnexpectedEndOfComment */);
                        }
                        break;
                    case 2 /* ScanError.UnexpectedEndOfString */:
                        handleError(12 /* ParseErrorCode.UnexpectedEndOfString */);
                        break;
                    case 6 /* ScanError.InvalidCharacter */:
                        handleError(16 /* ParseErrorCode.InvalidCharacter */);
                        break;
                }
                switch (token) {
                    case 12 /* SyntaxKind.LineCommentTrivia */:
                    case 13 /* SyntaxKind.BlockCommentTrivia */:
                        if (disallowComments) {
                            handleError(10 /* ParseErrorCode.InvalidCommentToken */);
                        }
                        else {
                            onComment();
                        }
                        break;
                    case 16 /* SyntaxKind.Unknown */:
                        handleError(1 /* ParseErrorCode.InvalidSymbol */);
                        break;
                    case 15 /* SyntaxKind.Trivia */:
                    case 14 /* SyntaxKind.LineBreakTrivia */:
                        break;
                    default:
                        return token;
                }
            }
        }
        function handleError(error, skipUntilAfter = [], skipUntil = []) {
            onError(error);
            if (skipUntilAfter.length + skipUntil.length > 0) {
                let token = _scanner.getToken();
                while (token !== 17 /* SyntaxKind.EOF */) {
                    if (skipUntilAfter.indexOf(token) !== -1) {
                        scanNext();
                        break;
                    }
                    else if (skipUntil.indexOf(token) !== -1) {
                        break;
                    }
                    token = scanNext();
                }
            }
        }
        function parseString(isValue) {
            const value = _scanner.getTokenValue();
            if (isValue) {
                onLiteralValue(value);
            }
            else {
                onObjectProperty(value);
                // add property name afterwards
                _jsonPath.push(value);
            }
            scanNext();
            return true;
        }
        function parseLiteral() {
            switch (_scanner.getToken()) {
                case 11 /* SyntaxKind.NumericLiteral */:
                    const tokenValue = _scanner.getTokenValue();
                    let value = Number(tokenValue);
                    if (isNaN(value)) {
                        handleError(2 /* ParseErrorCode.InvalidNumberFormat */);
                        value = 0;
                    }
                    onLiteralValue(value);
                    break;
                case 7 /* SyntaxKind.NullKeyword */:
                    onLiteralValue(null);
                    break;
                case 8 /* SyntaxKind.TrueKeyword */:
                    onLiteralValue(true);
                    break;
                case 9 /* SyntaxKind.FalseKeyword */:
                    onLiteralValue(false);
                    break;
                default:
                    return false;
            }
            scanNext();
            return true;
        }
        function parseProperty() {
            if (_scanner.getToken() !== 10 /* SyntaxKind.StringLiteral */) {
                handleError(3 /* ParseErrorCode.PropertyNameExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
                return false;
            }
            parseString(false);
            if (_scanner.getToken() === 6 /* SyntaxKind.ColonToken */) {
                onSeparator(':');
                scanNext(); // consume colon
                if (!parseValue()) {
                    handleError(4 /* ParseErrorCode.ValueExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
                }
            }
            else {
                handleError(5 /* ParseErrorCode.ColonExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
            }
            _jsonPath.pop(); // remove processed property name
            return true;
        }
        function parseObject() {
            onObjectBegin();
            scanNext(); // consume open brace
            let needsComma = false;
            while (_scanner.getToken() !== 2 /* SyntaxKind.CloseBraceToken */ && _scanner.getToken() !== 17 /* SyntaxKind.EOF */) {
                if (_scanner.getToken() === 5 /* SyntaxKind.CommaToken */) {
                    if (!needsComma) {
                        handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
                    }
                    onSeparator(',');
                    scanNext(); // consume comma
                    if (_scanner.getToken() === 2 /* SyntaxKind.CloseBraceToken */ && allowTrailingComma) {
                        break;
                    }
                }
                else if (needsComma) {
                    handleError(6 /* ParseErrorCode.CommaExpected */, [], []);
                }
                if (!parseProperty()) {
                    handleError(4 /* ParseErrorCode.ValueExpected */, [], [2 /* SyntaxKind.CloseBraceToken */, 5 /* SyntaxKind.CommaToken */]);
                }
                needsComma = true;
            }
            onObjectEnd();
            if (_scanner.getToken() !== 2 /* SyntaxKind.CloseBraceToken */) {
                handleError(7 /* ParseErrorCode.CloseBraceExpected */, [2 /* SyntaxKind.CloseBraceToken */], []);
            }
            else {
                scanNext(); // consume close brace
            }
            return true;
        }
        function parseArray() {
            onArrayBegin();
            scanNext(); // consume open bracket
            let isFirstElement = true;
            let needsComma = false;
            while (_scanner.getToken() !== 4 /* SyntaxKind.CloseBracketToken */ && _scanner.getToken() !== 17 /* SyntaxKind.EOF */) {
                if (_scanner.getToken() === 5 /* SyntaxKind.CommaToken */) {
                    if (!needsComma) {
                        handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
                    }
                    onSeparator(',');
                    scanNext(); // consume comma
                    if (_scanner.getToken() === 4 /* SyntaxKind.CloseBracketToken */ && allowTrailingComma) {
                        break;
                    }
                }
                else if (needsComma) {
                    handleError(6 /* ParseErrorCode.CommaExpected */, [], []);
                }
                if (isFirstElement) {
                    _jsonPath.push(0);
                    isFirstElement = false;
                }
                else {
                    _jsonPath[_jsonPath.length - 1]++;
                }
                if (!parseValue()) {
                    handleError(4 /* ParseErrorCode.ValueExpected */, [], [4 /* SyntaxKind.CloseBracketToken */, 5 /* SyntaxKind.CommaToken */]);
                }
                needsComma = true;
            }
            onArrayEnd();
            if (!isFirstElement) {
                _jsonPath.pop(); // remove array index
            }
            if (_scanner.getToken() !== 4 /* SyntaxKind.CloseBracketToken */) {
                handleError(8 /* ParseErrorCode.CloseBracketExpected */, [4 /* SyntaxKind.CloseBracketToken */], []);
            }
            else {
                scanNext(); // consume close bracket
            }
            return true;
        }
        function parseValue() {
            switch (_scanner.getToken()) {
                case 3 /* SyntaxKind.OpenBracketToken */:
                    return parseArray();
                case 1 /* SyntaxKind.OpenBraceToken */:
                    return parseObject();
                case 10 /* SyntaxKind.StringLiteral */:
                    return parseString(true);
                default:
                    return parseLiteral();
            }
        }
        scanNext();
        if (_scanner.getToken() === 17 /* SyntaxKind.EOF */) {
            if (options.allowEmptyContent) {
                return true;
            }
            handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
            return false;
        }
        if (!parseValue()) {
            handleError(4 /* ParseErrorCode.ValueExpected */, [], []);
            return false;
        }
        if (_scanner.getToken() !== 17 /* SyntaxKind.EOF */) {
            handleError(9 /* ParseErrorCode.EndOfFileExpected */, [], []);
        }
        return true;
    }
    exports.visit = visit;
    /**
     * Takes JSON with JavaScript-style comments and remove
     * them. Optionally replaces every none-newline character
     * of comments with a replaceCharacter
     */
    function stripComments(text, replaceCh) {
        let _scanner = (0, scanner_1.createScanner)(text), parts = [], kind, offset = 0, pos;
        do {
            pos = _scanner.getPosition();
            kind = _scanner.scan();
            switch (kind) {
                case 12 /* SyntaxKind.LineCommentTrivia */:
                case 13 /* SyntaxKind.BlockCommentTrivia */:
                case 17 /* SyntaxKind.EOF */:
                    if (offset !== pos) {
                        parts.push(text.substring(offset, pos));
                    }
                    if (replaceCh !== undefined) {
                        parts.push(_scanner.getTokenValue().replace(/[^\r\n]/g, replaceCh));
                    }
                    offset = _scanner.getPosition();
                    break;
            }
        } while (kind !== 17 /* SyntaxKind.EOF */);
        return parts.join('');
    }
    exports.stripComments = stripComments;
    function getNodeType(value) {
        switch (typeof value) {
            case 'boolean': return 'boolean';
            case 'number': return 'number';
            case 'string': return 'string';
            case 'object': {
                if (!value) {
                    return 'null';
                }
                else if (Array.isArray(value)) {
                    return 'array';
                }
                return 'object';
            }
            default: return 'null';
        }
    }
    exports.getNodeType = getNodeType;
});


/***/ }),

/***/ 525:
/***/ ((module, exports) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.createScanner = void 0;
    /**
     * Creates a JSON scanner on the given text.
     * If ignoreTrivia is set, whitespaces or comments are ignored.
     */
    function createScanner(text, ignoreTrivia = false) {
        const len = text.length;
        let pos = 0, value = '', tokenOffset = 0, token = 16 /* SyntaxKind.Unknown */, lineNumber = 0, lineStartOffset = 0, tokenLineStartOffset = 0, prevTokenLineStartOffset = 0, scanError = 0 /* ScanError.None */;
        function scanHexDigits(count, exact) {
            let digits = 0;
            let value = 0;
            while (digits < count || !exact) {
                let ch = text.charCodeAt(pos);
                if (ch >= 48 /* CharacterCodes._0 */ && ch <= 57 /* CharacterCodes._9 */) {
                    value = value * 16 + ch - 48 /* CharacterCodes._0 */;
                }
                else if (ch >= 65 /* CharacterCodes.A */ && ch <= 70 /* CharacterCodes.F */) {
                    value = value * 16 + ch - 65 /* CharacterCodes.A */ + 10;
                }
                else if (ch >= 97 /* CharacterCodes.a */ && ch <= 102 /* CharacterCodes.f */) {
                    value = value * 16 + ch - 97 /* CharacterCodes.a */ + 10;
                }
                else {
                    break;
                }
                pos++;
                digits++;
            }
            if (digits < count) {
                value = -1;
            }
            return value;
        }
        function setPosition(newPosition) {
            pos = newPosition;
            value = '';
            tokenOffset = 0;
            token = 16 /* SyntaxKind.Unknown */;
            scanError = 0 /* ScanError.None */;
        }
        function scanNumber() {
            let start = pos;
            if (text.charCodeAt(pos) === 48 /* CharacterCodes._0 */) {
                pos++;
            }
            else {
                pos++;
                while (pos < text.length && isDigit(text.charCodeAt(pos))) {
                    pos++;
                }
            }
            if (pos < text.length && text.charCodeAt(pos) === 46 /* CharacterCodes.dot */) {
                pos++;
                if (pos < text.length && isDigit(text.charCodeAt(pos))) {
                    pos++;
                    while (pos < text.length && isDigit(text.charCodeAt(pos))) {
                        pos++;
                    }
                }
                else {
                    scanError = 3 /* ScanError.UnexpectedEndOfNumber */;
                    return text.substring(start, pos);
                }
            }
            let end = pos;
            if (pos < text.length && (text.charCodeAt(pos) === 69 /* CharacterCodes.E */ || text.charCodeAt(pos) === 101 /* CharacterCodes.e */)) {
                pos++;
                if (pos < text.length && text.charCodeAt(pos) === 43 /* CharacterCodes.plus */ || text.charCodeAt(pos) === 45 /* CharacterCodes.minus */) {
                    pos++;
                }
                if (pos < text.length && isDigit(text.charCodeAt(pos))) {
                    pos++;
                    while (pos < text.length && isDigit(text.charCodeAt(pos))) {
                        pos++;
                    }
                    end = pos;
                }
                else {
                    scanError = 3 /* ScanError.UnexpectedEndOfNumber */;
                }
            }
            return text.substring(start, end);
        }
        function scanString() {
            let result = '', start = pos;
            while (true) {
                if (pos >= len) {
                    result += text.substring(start, pos);
                    scanError = 2 /* ScanError.UnexpectedEndOfString */;
                    break;
                }
                const ch = text.charCodeAt(pos);
                if (ch === 34 /* CharacterCodes.doubleQuote */) {
                    result += text.substring(start, pos);
                    pos++;
                    break;
                }
                if (ch === 92 /* CharacterCodes.backslash */) {
                    result += text.substring(start, pos);
                    pos++;
                    if (pos >= len) {
                        scanError = 2 /* ScanError.UnexpectedEndOfString */;
                        break;
                    }
                    const ch2 = text.charCodeAt(pos++);
                    switch (ch2) {
                        case 34 /* CharacterCodes.doubleQuote */:
                            result += '\"';
                            break;
                        case 92 /* CharacterCodes.backslash */:
                            result += '\\';
                            break;
                        case 47 /* CharacterCodes.slash */:
                            result += '/';
                            break;
                        case 98 /* CharacterCodes.b */:
                            result += '\b';
                            break;
                        case 102 /* CharacterCodes.f */:
                            result += '\f';
                            break;
                        case 110 /* CharacterCodes.n */:
                            result += '\n';
                            break;
                        case 114 /* CharacterCodes.r */:
                            result += '\r';
                            break;
                        case 116 /* CharacterCodes.t */:
                            result += '\t';
                            break;
                        case 117 /* CharacterCodes.u */:
                            const ch3 = scanHexDigits(4, true);
                            if (ch3 >= 0) {
                                result += String.fromCharCode(ch3);
                            }
                            else {
                                scanError = 4 /* ScanError.InvalidUnicode */;
                            }
                            break;
                        default:
                            scanError = 5 /* ScanError.InvalidEscapeCharacter */;
                    }
                    start = pos;
                    continue;
                }
                if (ch >= 0 && ch <= 0x1f) {
                    if (isLineBreak(ch)) {
                        result += text.substring(start, pos);
                        scanError = 2 /* ScanError.UnexpectedEndOfString */;
                        break;
                    }
                    else {
                        scanError = 6 /* ScanError.InvalidCharacter */;
                        // mark as error but continue with string
                    }
                }
                pos++;
            }
            return result;
        }
        function scanNext() {
            value = '';
            scanError = 0 /* ScanError.None */;
            tokenOffset = pos;
            lineStartOffset = lineNumber;
            prevTokenLineStartOffset = tokenLineStartOffset;
            if (pos >= len) {
                // at the end
                tokenOffset = len;
                return token = 17 /* SyntaxKind.EOF */;
            }
            let code = text.charCodeAt(pos);
            // trivia: whitespace
            if (isWhiteSpace(code)) {
                do {
                    pos++;
                    value += String.fromCharCode(code);
                    code = text.charCodeAt(pos);
                } while (isWhiteSpace(code));
                return token = 15 /* SyntaxKind.Trivia */;
            }
            // trivia: newlines
            if (isLineBreak(code)) {
                pos++;
                value += String.fromCharCode(code);
                if (code === 13 /* CharacterCodes.carriageReturn */ && text.charCodeAt(pos) === 10 /* CharacterCodes.lineFeed */) {
                    pos++;
                    value += '\n';
                }
                lineNumber++;
                tokenLineStartOffset = pos;
                return token = 14 /* SyntaxKind.LineBreakTrivia */;
            }
            switch (code) {
                // tokens: []{}:,
                case 123 /* CharacterCodes.openBrace */:
                    pos++;
                    return token = 1 /* SyntaxKind.OpenBraceToken */;
                case 125 /* CharacterCodes.closeBrace */:
                    pos++;
                    return token = 2 /* SyntaxKind.CloseBraceToken */;
                case 91 /* CharacterCodes.openBracket */:
                    pos++;
                    return token = 3 /* SyntaxKind.OpenBracketToken */;
                case 93 /* CharacterCodes.closeBracket */:
                    pos++;
                    return token = 4 /* SyntaxKind.CloseBracketToken */;
                case 58 /* CharacterCodes.colon */:
                    pos++;
                    return token = 6 /* SyntaxKind.ColonToken */;
                case 44 /* CharacterCodes.comma */:
                    pos++;
                    return token = 5 /* SyntaxKind.CommaToken */;
                // strings
                case 34 /* CharacterCodes.doubleQuote */:
                    pos++;
                    value = scanString();
                    return token = 10 /* SyntaxKind.StringLiteral */;
                // comments
                case 47 /* CharacterCodes.slash */:
                    const start = pos - 1;
                    // Single-line comment
                    if (text.charCodeAt(pos + 1) === 47 /* CharacterCodes.slash */) {
                        pos += 2;
                        while (pos < len) {
                            if (isLineBreak(text.charCodeAt(pos))) {
                                break;
                            }
                            pos++;
                        }
                        value = text.substring(start, pos);
                        return token = 12 /* SyntaxKind.LineCommentTrivia */;
                    }
                    // Multi-line comment
                    if (text.charCodeAt(pos + 1) === 42 /* CharacterCodes.asterisk */) {
                        pos += 2;
                        const safeLength = len - 1; // For lookahead.
                        let commentClosed = false;
                        while (pos < safeLength) {
                            const ch = text.charCodeAt(pos);
                            if (ch === 42 /* CharacterCodes.asterisk */ && text.charCodeAt(pos + 1) === 47 /* CharacterCodes.slash */) {
                                pos += 2;
                                commentClosed = true;
                                break;
                            }
                            pos++;
                            if (isLineBreak(ch)) {
                                if (ch === 13 /* CharacterCodes.carriageReturn */ && text.charCodeAt(pos) === 10 /* CharacterCodes.lineFeed */) {
                                    pos++;
                                }
                                lineNumber++;
                                tokenLineStartOffset = pos;
                            }
                        }
                        if (!commentClosed) {
                            pos++;
                            scanError = 1 /* ScanError.UnexpectedEndOfComment */;
                        }
                        value = text.substring(start, pos);
                        return token = 13 /* SyntaxKind.BlockCommentTrivia */;
                    }
                    // just a single slash
                    value += String.fromCharCode(code);
                    pos++;
                    return token = 16 /* SyntaxKind.Unknown */;
                // numbers
                case 45 /* CharacterCodes.minus */:
                    value += String.fromCharCode(code);
                    pos++;
                    if (pos === len || !isDigit(text.charCodeAt(pos))) {
                        return token = 16 /* SyntaxKind.Unknown */;
                    }
                // found a minus, followed by a number so
                // we fall through to proceed with scanning
                // numbers
                case 48 /* CharacterCodes._0 */:
                case 49 /* CharacterCodes._1 */:
                case 50 /* CharacterCodes._2 */:
                case 51 /* CharacterCodes._3 */:
                case 52 /* CharacterCodes._4 */:
                case 53 /* CharacterCodes._5 */:
                case 54 /* CharacterCodes._6 */:
                case 55 /* CharacterCodes._7 */:
                case 56 /* CharacterCodes._8 */:
                case 57 /* CharacterCodes._9 */:
                    value += scanNumber();
                    return token = 11 /* SyntaxKind.NumericLiteral */;
                // literals and unknown symbols
                default:
                    // is a literal? Read the full word.
                    while (pos < len && isUnknownContentCharacter(code)) {
                        pos++;
                        code = text.charCodeAt(pos);
                    }
                    if (tokenOffset !== pos) {
                        value = text.substring(tokenOffset, pos);
                        // keywords: true, false, null
                        switch (value) {
                            case 'true': return token = 8 /* SyntaxKind.TrueKeyword */;
                            case 'false': return token = 9 /* SyntaxKind.FalseKeyword */;
                            case 'null': return token = 7 /* SyntaxKind.NullKeyword */;
                        }
                        return token = 16 /* SyntaxKind.Unknown */;
                    }
                    // some
                    value += String.fromCharCode(code);
                    pos++;
                    return token = 16 /* SyntaxKind.Unknown */;
            }
        }
        function isUnknownContentCharacter(code) {
            if (isWhiteSpace(code) || isLineBreak(code)) {
                return false;
            }
            switch (code) {
                case 125 /* CharacterCodes.closeBrace */:
                case 93 /* CharacterCodes.closeBracket */:
                case 123 /* CharacterCodes.openBrace */:
                case 91 /* CharacterCodes.openBracket */:
                case 34 /* CharacterCodes.doubleQuote */:
                case 58 /* CharacterCodes.colon */:
                case 44 /* CharacterCodes.comma */:
                case 47 /* CharacterCodes.slash */:
                    return false;
            }
            return true;
        }
        function scanNextNonTrivia() {
            let result;
            do {
                result = scanNext();
            } while (result >= 12 /* SyntaxKind.LineCommentTrivia */ && result <= 15 /* SyntaxKind.Trivia */);
            return result;
        }
        return {
            setPosition: setPosition,
            getPosition: () => pos,
            scan: ignoreTrivia ? scanNextNonTrivia : scanNext,
            getToken: () => token,
            getTokenValue: () => value,
            getTokenOffset: () => tokenOffset,
            getTokenLength: () => pos - tokenOffset,
            getTokenStartLine: () => lineStartOffset,
            getTokenStartCharacter: () => tokenOffset - prevTokenLineStartOffset,
            getTokenError: () => scanError,
        };
    }
    exports.createScanner = createScanner;
    function isWhiteSpace(ch) {
        return ch === 32 /* CharacterCodes.space */ || ch === 9 /* CharacterCodes.tab */;
    }
    function isLineBreak(ch) {
        return ch === 10 /* CharacterCodes.lineFeed */ || ch === 13 /* CharacterCodes.carriageReturn */;
    }
    function isDigit(ch) {
        return ch >= 48 /* CharacterCodes._0 */ && ch <= 57 /* CharacterCodes._9 */;
    }
    var CharacterCodes;
    (function (CharacterCodes) {
        CharacterCodes[CharacterCodes["lineFeed"] = 10] = "lineFeed";
        CharacterCodes[CharacterCodes["carriageReturn"] = 13] = "carriageReturn";
        CharacterCodes[CharacterCodes["space"] = 32] = "space";
        CharacterCodes[CharacterCodes["_0"] = 48] = "_0";
        CharacterCodes[CharacterCodes["_1"] = 49] = "_1";
        CharacterCodes[CharacterCodes["_2"] = 50] = "_2";
        CharacterCodes[CharacterCodes["_3"] = 51] = "_3";
        CharacterCodes[CharacterCodes["_4"] = 52] = "_4";
        CharacterCodes[CharacterCodes["_5"] = 53] = "_5";
        CharacterCodes[CharacterCodes["_6"] = 54] = "_6";
        CharacterCodes[CharacterCodes["_7"] = 55] = "_7";
        CharacterCodes[CharacterCodes["_8"] = 56] = "_8";
        CharacterCodes[CharacterCodes["_9"] = 57] = "_9";
        CharacterCodes[CharacterCodes["a"] = 97] = "a";
        CharacterCodes[CharacterCodes["b"] = 98] = "b";
        CharacterCodes[CharacterCodes["c"] = 99] = "c";
        CharacterCodes[CharacterCodes["d"] = 100] = "d";
        CharacterCodes[CharacterCodes["e"] = 101] = "e";
        CharacterCodes[CharacterCodes["f"] = 102] = "f";
        CharacterCodes[CharacterCodes["g"] = 103] = "g";
        CharacterCodes[CharacterCodes["h"] = 104] = "h";
        CharacterCodes[CharacterCodes["i"] = 105] = "i";
        CharacterCodes[CharacterCodes["j"] = 106] = "j";
        CharacterCodes[CharacterCodes["k"] = 107] = "k";
        CharacterCodes[CharacterCodes["l"] = 108] = "l";
        CharacterCodes[CharacterCodes["m"] = 109] = "m";
        CharacterCodes[CharacterCodes["n"] = 110] = "n";
        CharacterCodes[CharacterCodes["o"] = 111] = "o";
        CharacterCodes[CharacterCodes["p"] = 112] = "p";
        CharacterCodes[CharacterCodes["q"] = 113] = "q";
        CharacterCodes[CharacterCodes["r"] = 114] = "r";
        CharacterCodes[CharacterCodes["s"] = 115] = "s";
        CharacterCodes[CharacterCodes["t"] = 116] = "t";
        CharacterCodes[CharacterCodes["u"] = 117] = "u";
        CharacterCodes[CharacterCodes["v"] = 118] = "v";
        CharacterCodes[CharacterCodes["w"] = 119] = "w";
        CharacterCodes[CharacterCodes["x"] = 120] = "x";
        CharacterCodes[CharacterCodes["y"] = 121] = "y";
        CharacterCodes[CharacterCodes["z"] = 122] = "z";
        CharacterCodes[CharacterCodes["A"] = 65] = "A";
        CharacterCodes[CharacterCodes["B"] = 66] = "B";
        CharacterCodes[CharacterCodes["C"] = 67] = "C";
        CharacterCodes[CharacterCodes["D"] = 68] = "D";
        CharacterCodes[CharacterCodes["E"] = 69] = "E";
        CharacterCodes[CharacterCodes["F"] = 70] = "F";
        CharacterCodes[CharacterCodes["G"] = 71] = "G";
        CharacterCodes[CharacterCodes["H"] = 72] = "H";
        CharacterCodes[CharacterCodes["I"] = 73] = "I";
        CharacterCodes[CharacterCodes["J"] = 74] = "J";
        CharacterCodes[CharacterCodes["K"] = 75] = "K";
        CharacterCodes[CharacterCodes["L"] = 76] = "L";
        CharacterCodes[CharacterCodes["M"] = 77] = "M";
        CharacterCodes[CharacterCodes["N"] = 78] = "N";
        CharacterCodes[CharacterCodes["O"] = 79] = "O";
        CharacterCodes[CharacterCodes["P"] = 80] = "P";
        CharacterCodes[CharacterCodes["Q"] = 81] = "Q";
        CharacterCodes[CharacterCodes["R"] = 82] = "R";
        CharacterCodes[CharacterCodes["S"] = 83] = "S";
        CharacterCodes[CharacterCodes["T"] = 84] = "T";
        CharacterCodes[CharacterCodes["U"] = 85] = "U";
        CharacterCodes[CharacterCodes["V"] = 86] = "V";
        CharacterCodes[CharacterCodes["W"] = 87] = "W";
        CharacterCodes[CharacterCodes["X"] = 88] = "X";
        CharacterCodes[CharacterCodes["Y"] = 89] = "Y";
        CharacterCodes[CharacterCodes["Z"] = 90] = "Z";
        CharacterCodes[CharacterCodes["asterisk"] = 42] = "asterisk";
        CharacterCodes[CharacterCodes["backslash"] = 92] = "backslash";
        CharacterCodes[CharacterCodes["closeBrace"] = 125] = "closeBrace";
        CharacterCodes[CharacterCodes["closeBracket"] = 93] = "closeBracket";
        CharacterCodes[CharacterCodes["colon"] = 58] = "colon";
        CharacterCodes[CharacterCodes["comma"] = 44] = "comma";
        CharacterCodes[CharacterCodes["dot"] = 46] = "dot";
        CharacterCodes[CharacterCodes["doubleQuote"] = 34] = "doubleQuote";
        CharacterCodes[CharacterCodes["minus"] = 45] = "minus";
        CharacterCodes[CharacterCodes["openBrace"] = 123] = "openBrace";
        CharacterCodes[CharacterCodes["openBracket"] = 91] = "openBracket";
        CharacterCodes[CharacterCodes["plus"] = 43] = "plus";
        CharacterCodes[CharacterCodes["slash"] = 47] = "slash";
        CharacterCodes[CharacterCodes["formFeed"] = 12] = "formFeed";
        CharacterCodes[CharacterCodes["tab"] = 9] = "tab";
    })(CharacterCodes || (CharacterCodes = {}));
});


/***/ }),

/***/ 579:
/***/ ((module, exports) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports"], factory);
    }
})(function () {
    "use strict";
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.supportedEols = exports.cachedBreakLinesWithSpaces = exports.cachedSpaces = void 0;
    exports.cachedSpaces = new Array(20).fill(0).map((_, index) => {
        return ' '.repeat(index);
    });
    const maxCachedValues = 200;
    exports.cachedBreakLinesWithSpaces = {
        ' ': {
            '\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\n' + ' '.repeat(index);
            }),
            '\r': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r' + ' '.repeat(index);
            }),
            '\r\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r\n' + ' '.repeat(index);
            }),
        },
        '\t': {
            '\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\n' + '\t'.repeat(index);
            }),
            '\r': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r' + '\t'.repeat(index);
            }),
            '\r\n': new Array(maxCachedValues).fill(0).map((_, index) => {
                return '\r\n' + '\t'.repeat(index);
            }),
        }
    };
    exports.supportedEols = ['\n', '\r', '\r\n'];
});


/***/ }),

/***/ 547:
/***/ ((module, exports, __nccwpck_require__) => {

(function (factory) {
    if ( true && typeof module.exports === "object") {
        var v = factory(__WEBPACK_EXTERNAL_createRequire(import.meta.url), exports);
        if (v !== undefined) module.exports = v;
    }
    else if (typeof define === "function" && define.amd) {
        define(["require", "exports", "./impl/format", "./impl/edit", "./impl/scanner", "./impl/parser"], factory);
    }
})(function () {
    /*---------------------------------------------------------------------------------------------
     *  Copyright (c) Microsoft Corporation. All rights reserved.
     *  Licensed under the MIT License. See License.txt in the project root for license information.
     *--------------------------------------------------------------------------------------------*/
    'use strict';
    Object.defineProperty(exports, "__esModule", ({ value: true }));
    exports.applyEdits = exports.modify = exports.format = exports.printParseErrorCode = exports.ParseErrorCode = exports.stripComments = exports.visit = exports.getNodeValue = exports.getNodePath = exports.findNodeAtOffset = exports.findNodeAtLocation = exports.parseTree = exports.parse = exports.getLocation = exports.SyntaxKind = exports.ScanError = exports.createScanner = void 0;
    const formatter = __nccwpck_require__(612);
    const edit = __nccwpck_require__(807);
    const scanner = __nccwpck_require__(525);
    const parser = __nccwpck_require__(152);
    /**
     * Creates a JSON scanner on the given text.
     * If ignoreTrivia is set, whitespaces or comments are ignored.
     */
    exports.createScanner = scanner.createScanner;
    var ScanError;
    (function (ScanError) {
        ScanError[ScanError["None"] = 0] = "None";
        ScanError[ScanError["UnexpectedEndOfComment"] = 1] = "UnexpectedEndOfComment";
        ScanError[ScanError["UnexpectedEndOfString"] = 2] = "UnexpectedEndOfString";
        ScanError[ScanError["UnexpectedEndOfNumber"] = 3] = "UnexpectedEndOfNumber";
        ScanError[ScanError["InvalidUnicode"] = 4] = "InvalidUnicode";
        ScanError[ScanError["InvalidEscapeCharacter"] = 5] = "InvalidEscapeCharacter";
        ScanError[ScanError["InvalidCharacter"] = 6] = "InvalidCharacter";
    })(ScanError || (exports.ScanError = ScanError = {}));
    var SyntaxKind;
    (function (SyntaxKind) {
        SyntaxKind[SyntaxKind["OpenBraceToken"] = 1] = "OpenBraceToken";
        SyntaxKind[SyntaxKind["CloseBraceToken"] = 2] = "CloseBraceToken";
        SyntaxKind[SyntaxKind["OpenBracketToken"] = 3] = "OpenBracketToken";
        SyntaxKind[SyntaxKind["CloseBracketToken"] = 4] = "CloseBracketToken";
        SyntaxKind[SyntaxKind["CommaToken"] = 5] = "CommaToken";
        SyntaxKind[SyntaxKind["ColonToken"] = 6] = "ColonToken";
        SyntaxKind[SyntaxKind["NullKeyword"] = 7] = "NullKeyword";
        SyntaxKind[SyntaxKind["TrueKeyword"] = 8] = "TrueKeyword";
        SyntaxKind[SyntaxKind["FalseKeyword"] = 9] = "FalseKeyword";
        SyntaxKind[SyntaxKind["StringLiteral"] = 10] = "StringLiteral";
        SyntaxKind[SyntaxKind["NumericLiteral"] = 11] = "NumericLiteral";
        SyntaxKind[SyntaxKind["LineCommentTrivia"] = 12] = "LineCommentTrivia";
        SyntaxKind[SyntaxKind["BlockCommentTrivia"] = 13] = "BlockCommentTrivia";
        SyntaxKind[SyntaxKind["LineBreakTrivia"] = 14] = "LineBreakTrivia";
        SyntaxKind[SyntaxKind["Trivia"] = 15] = "Trivia";
        SyntaxKind[SyntaxKind["Unknown"] = 16] = "Unknown";
        SyntaxKind[SyntaxKind["EOF"] = 17] = "EOF";
    })(SyntaxKind || (exports.SyntaxKind = SyntaxKind = {}));
    /**
     * For a given offset, evaluate the location in the JSON document. Each segment in the location path is either a property name or an array index.
     */
    exports.getLocation = parser.getLocation;
    /**
     * Parses the given text and returns the object the JSON content represents. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     * Therefore, always check the errors list to find out if the input was valid.
     */
    exports.parse = parser.parse;
    /**
     * Parses the given text and returns a tree representation the JSON content. On invalid input, the parser tries to be as fault tolerant as possible, but still return a result.
     */
    exports.parseTree = parser.parseTree;
    /**
     * Finds the node at the given path in a JSON DOM.
     */
    exports.findNodeAtLocation = parser.findNodeAtLocation;
    /**
     * Finds the innermost node at the given offset. If includeRightBound is set, also finds nodes that end at the given offset.
     */
    exports.findNodeAtOffset = parser.findNodeAtOffset;
    /**
     * Gets the JSON path of the given JSON DOM node
     */
    exports.getNodePath = parser.getNodePath;
    /**
     * Evaluates the JavaScript object of the given JSON DOM node
     */
    exports.getNodeValue = parser.getNodeValue;
    /**
     * Parses the given text and invokes the visitor functions for each object, array and literal reached.
     */
    exports.visit = parser.visit;
    /**
     * Takes JSON with JavaScript-style comments and remove
     * them. Optionally replaces every none-newline character
     * of comments with a replaceCharacter
     */
    exports.stripComments = parser.stripComments;
    var ParseErrorCode;
    (function (ParseErrorCode) {
        ParseErrorCode[ParseErrorCode["InvalidSymbol"] = 1] = "InvalidSymbol";
        ParseErrorCode[ParseErrorCode["InvalidNumberFormat"] = 2] = "InvalidNumberFormat";
        ParseErrorCode[ParseErrorCode["PropertyNameExpected"] = 3] = "PropertyNameExpected";
        ParseErrorCode[ParseErrorCode["ValueExpected"] = 4] = "ValueExpected";
        ParseErrorCode[ParseErrorCode["ColonExpected"] = 5] = "ColonExpected";
        ParseErrorCode[ParseErrorCode["CommaExpected"] = 6] = "CommaExpected";
        ParseErrorCode[ParseErrorCode["CloseBraceExpected"] = 7] = "CloseBraceExpected";
        ParseErrorCode[ParseErrorCode["CloseBracketExpected"] = 8] = "CloseBracketExpected";
        ParseErrorCode[ParseErrorCode["EndOfFileExpected"] = 9] = "EndOfFileExpected";
        ParseErrorCode[ParseErrorCode["InvalidCommentToken"] = 10] = "InvalidCommentToken";
        ParseErrorCode[ParseErrorCode["UnexpectedEndOfComment"] = 11] = "UnexpectedEndOfComment";
        ParseErrorCode[ParseErrorCode["UnexpectedEndOfString"] = 12] = "UnexpectedEndOfString";
        ParseErrorCode[ParseErrorCode["UnexpectedEndOfNumber"] = 13] = "UnexpectedEndOfNumber";
        ParseErrorCode[ParseErrorCode["InvalidUnicode"] = 14] = "InvalidUnicode";
        ParseErrorCode[ParseErrorCode["InvalidEscapeCharacter"] = 15] = "InvalidEscapeCharacter";
        ParseErrorCode[ParseErrorCode["InvalidCharacter"] = 16] = "InvalidCharacter";
    })(ParseErrorCode || (exports.ParseErrorCode = ParseErrorCode = {}));
    function printParseErrorCode(code) {
        switch (code) {
            case 1 /* ParseErrorCode.InvalidSymbol */: return 'InvalidSymbol';
            case 2 /* ParseErrorCode.InvalidNumberFormat */: return 'InvalidNumberFormat';
            case 3 /* ParseErrorCode.PropertyNameExpected */: return 'PropertyNameExpected';
            case 4 /* ParseErrorCode.ValueExpected */: return 'ValueExpected';
            case 5 /* ParseErrorCode.ColonExpected */: return 'ColonExpected';
            case 6 /* ParseErrorCode.CommaExpected */: return 'CommaExpected';
            case 7 /* ParseErrorCode.CloseBraceExpected */: return 'CloseBraceExpected';
            case 8 /* ParseErrorCode.CloseBracketExpected */: return 'CloseBracketExpected';
            case 9 /* ParseErrorCode.EndOfFileExpected */: return 'EndOfFileExpected';
            case 10 /* ParseErrorCode.InvalidCommentToken */: return 'InvalidCommentToken';
            case 11 /* ParseErrorCode.UnexpectedEndOfComment */: return 'UnexpectedEndOfComment';
            case 12 /* ParseErrorCode.UnexpectedEndOfString */: return 'UnexpectedEndOfString';
            case 13 /* ParseErrorCode.UnexpectedEndOfNumber */: return 'UnexpectedEndOfNumber';
            case 14 /* ParseErrorCode.InvalidUnicode */: return 'InvalidUnicode';
            case 15 /* ParseErrorCode.InvalidEscapeCharacter */: return 'InvalidEscapeCharacter';
            case 16 /* ParseErrorCode.InvalidCharacter */: return 'InvalidCharacter';
        }
        return '<unknown ParseErrorCode>';
    }
    exports.printParseErrorCode = printParseErrorCode;
    /**
     * Computes the edit operations needed to format a JSON document.
     *
     * @param documentText The input text
     * @param range The range to format or `undefined` to format the full content
     * @param options The formatting options
     * @returns The edit operations describing the formatting changes to the original document following the format described in {@linkcode EditResult}.
     * To apply the edit operations to the input, use {@linkcode applyEdits}.
     */
    function format(documentText, range, options) {
        return formatter.format(documentText, range, options);
    }
    exports.format = format;
    /**
     * Computes the edit operations needed to modify a value in the JSON document.
     *
     * @param documentText The input text
     * @param path The path of the value to change. The path represents either to the document root, a property or an array item.
     * If the path points to an non-existing property or item, it will be created.
     * @param value The new value for the specified property or item. If the value is undefined,
     * the property or item will be removed.
     * @param options Options
     * @returns The edit operations describing the changes to the original document, following the format described in {@linkcode EditResult}.
     * To apply the edit operations to the input, use {@linkcode applyEdits}.
     */
    function modify(text, path, value, options) {
        return edit.setProperty(text, path, value, options);
    }
    exports.modify = modify;
    /**
     * Applies edits to an input string.
     * @param text The input text
     * @param edits Edit operations following the format described in {@linkcode EditResult}.
     * @returns The text with the applied edits.
     * @throws An error if the edit operations are not well-formed as described in {@linkcode EditResult}.
     */
    function applyEdits(text, edits) {
        let sortedEdits = edits.slice(0).sort((a, b) => {
            const diff = a.offset - b.offset;
            if (diff === 0) {
                return a.length - b.length;
            }
            return diff;
        });
        let lastModifiedOffset = text.length;
        for (let i = sortedEdits.length - 1; i >= 0; i--) {
            let e = sortedEdits[i];
            if (e.offset + e.length <= lastModifiedOffset) {
                text = edit.applyEdit(text, e);
            }
            else {
                throw new Error('Overlapping edit');
            }
            lastModifiedOffset = e.offset;
        }
        return text;
    }
    exports.applyEdits = applyEdits;
});


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
var external_node_fs_default = /*#__PURE__*/__nccwpck_require__.n(external_node_fs_namespaceObject);
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
var external_node_path_default = /*#__PURE__*/__nccwpck_require__.n(external_node_path_namespaceObject);
// EXTERNAL MODULE: ./node_modules/ignore/index.js
var ignore = __nccwpck_require__(298);
var ignore_default = /*#__PURE__*/__nccwpck_require__.n(ignore);
;// CONCATENATED MODULE: external "node:path/posix"
const posix_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path/posix");
var posix_default = /*#__PURE__*/__nccwpck_require__.n(posix_namespaceObject);
;// CONCATENATED MODULE: ./src/sensitive.ts
/**
 * A value read from the repository or the deploy environment. Every value the guard reads is held
 * in one of these, so that no formatter can print it by accident: `String(v)`, template literals,
 * `JSON.stringify` and `util.inspect` all give a placeholder. Code that really needs the text
 * (to parse a URL or decode a JWT) calls `reveal()`, which is easy to grep for.
 *
 * Whether a value is secret is decided in one place, `classify.ts`; this class only enforces it.
 */
const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');
const REDACTED = '[redacted]';
class Sensitive {
    #text;
    /** true when the text must never be shown, even in part. */
    secret;
    constructor(text, secret) {
        this.#text = text;
        this.secret = secret;
    }
    reveal() {
        return this.#text;
    }
    /** What a report may show: a short prefix of a public value, never any of a secret one. */
    display(maxPrefix = 24) {
        if (this.secret)
            return REDACTED;
        const text = this.#text;
        return text.length <= maxPrefix ? text : `${text.slice(0, maxPrefix)}…`;
    }
    /** A copy with the secret flag raised (classification may only ever make a value more secret). */
    asSecret() {
        return this.secret ? this : new Sensitive(this.#text, true);
    }
    toString() {
        return REDACTED;
    }
    toJSON() {
        return REDACTED;
    }
    [inspectSymbol]() {
        return `Sensitive(${REDACTED})`;
    }
}

;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/lib/buffer_utils.js
const buffer_utils_encoder = new TextEncoder(), decoder = new TextDecoder(), strictDecoder = new TextDecoder("utf-8", { fatal: !0 }), UINT32_RANGE = (/* unused pure expression or super */ null && (2 ** 32));
function concat(...buffers) {
  const size = buffers.reduce((acc, { length }) => acc + length, 0), buf = new Uint8Array(size);
  let i = 0;
  for (const buffer of buffers)
    buf.set(buffer, i), i += buffer.length;
  return buf;
}
function writeUInt32BE(buf, value, offset) {
  if (value < 0 || value >= UINT32_RANGE)
    throw new RangeError(`value must be >= 0 and <= ${UINT32_RANGE - 1}. Received ${value}`);
  buf.set([value >>> 24, value >>> 16, value >>> 8, value & 255], offset);
}
function uint64be(value) {
  const high = Math.floor(value / UINT32_RANGE), low = value % UINT32_RANGE, buf = new Uint8Array(8);
  return writeUInt32BE(buf, high, 0), writeUInt32BE(buf, low, 4), buf;
}
function uint32be(value) {
  const buf = new Uint8Array(4);
  return writeUInt32BE(buf, value), buf;
}
const NON_ASCII = /[^\x00-\x7f]/;
function buffer_utils_encode(string) {
  if (typeof string == "string" && string.length >= 128) {
    if (NON_ASCII.test(string))
      throw new TypeError("non-ASCII string encountered in encode()");
    return buffer_utils_encoder.encode(string);
  }
  const bytes = new Uint8Array(string.length);
  for (let i = 0; i < string.length; i++) {
    const code = string.charCodeAt(i);
    if (code > 127)
      throw new TypeError("non-ASCII string encountered in encode()");
    bytes[i] = code;
  }
  return bytes;
}
function buffer_utils_encodeBase64(input, url = !1) {
  if (Uint8Array.prototype.toBase64)
    return input.toBase64({ alphabet: url ? "base64url" : "base64", omitPadding: url });
  const CHUNK_SIZE = 32768, arr = [];
  for (let i = 0; i < input.length; i += CHUNK_SIZE)
    arr.push(String.fromCharCode.apply(null, input.subarray(i, i + CHUNK_SIZE)));
  const encoded = btoa(arr.join(""));
  return url ? encoded.replace(/=/g, "").replace(/\+/g, "-").replace(/\//g, "_") : encoded;
}
function decodeBase64(encoded, url = !1) {
  if (Uint8Array.fromBase64)
    return Uint8Array.fromBase64(encoded, { alphabet: url ? "base64url" : "base64" });
  if (url) {
    if (encoded.includes("+") || encoded.includes("/"))
      throw new TypeError("Invalid base64url");
    encoded = encoded.replace(/-/g, "+").replace(/_/g, "/");
  }
  const binary = atob(encoded), bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++)
    bytes[i] = binary.charCodeAt(i);
  return bytes;
}
async function digest(algorithm, data) {
  const subtleDigest = `SHA-${algorithm.slice(-3)}`;
  return new Uint8Array(await crypto.subtle.digest(subtleDigest, data));
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/base64url.js

const invalid = "The input to be decoded is not correctly encoded.";
function base64url_decode(input) {
  try {
    return decodeBase64(typeof input == "string" ? input : decoder.decode(input), !0);
  } catch (cause) {
    throw new TypeError(invalid, { cause });
  }
}
function base64url_encode(input) {
  return encodeBase64(typeof input == "string" ? encoder.encode(input) : input, !0);
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/lib/validate.js



function assertUint8Array(input, label) {
  if (!(input instanceof Uint8Array))
    throw new TypeError(`${label} must be an instance of Uint8Array`);
}
function isObject(input) {
  if (typeof input != "object" || input === null || Object.prototype.toString.call(input) !== "[object Object]")
    return !1;
  const prototype = Object.getPrototypeOf(input);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
function isJwkSet(input) {
  return isObject(input) && Array.isArray(input.keys) && Array.from(input.keys).every(isObject);
}
function isDisjoint(...headers) {
  const parameters = /* @__PURE__ */ new Set();
  for (const header of headers)
    if (header)
      for (const parameter of Object.keys(header)) {
        if (parameters.has(parameter))
          return !1;
        parameters.add(parameter);
      }
  return !0;
}
function assertNotSet(value, name) {
  if (value !== void 0)
    throw new TypeError(`${name} can only be called once`);
}
function decodeBase64url(value, label, ErrorClass) {
  try {
    return decode(value);
  } catch (cause) {
    throw new ErrorClass(`Failed to base64url decode the ${label}`, { cause });
  }
}
function encodeAsciiMember(value, label, ErrorClass) {
  try {
    return encode(value);
  } catch (cause) {
    throw new ErrorClass(`The ${label} is not a valid base64url string`, { cause });
  }
}
function parseJoseHeader(encodedProtectedHeader, ErrorClass, message) {
  let parsed;
  try {
    parsed = JSON.parse(strictDecoder.decode(base64url_decode(encodedProtectedHeader)));
  } catch (cause) {
    throw new ErrorClass(message, { cause });
  }
  if (!isObject(parsed))
    throw new ErrorClass(message);
  return parsed;
}
const JWS_RECOGNIZED = { __proto__: null, b64: !0 }, JWE_RECOGNIZED = { __proto__: null };
function validateAlgorithms(option, algorithms) {
  if (algorithms !== void 0 && (!Array.isArray(algorithms) || algorithms.some((s) => typeof s != "string")))
    throw new TypeError(`"${option}" option must be an array of strings`);
  return algorithms === void 0 ? void 0 : new Set(algorithms);
}
function validateCritDuplicates(Err, protectedHeader) {
  const { crit } = protectedHeader ?? {};
  if (Array.isArray(crit) && new Set(crit).size !== crit.length)
    throw new Err('"crit" (Critical) Header Parameter MUST NOT contain duplicate values');
}
function validateCrit(Err, recognizedDefault, recognizedOption, protectedHeader, joseHeader) {
  if (joseHeader.crit !== void 0 && protectedHeader?.crit === void 0)
    throw new Err('"crit" (Critical) Header Parameter MUST be integrity protected');
  if (!protectedHeader || protectedHeader.crit === void 0)
    return [];
  if (!Array.isArray(protectedHeader.crit) || protectedHeader.crit.length === 0 || protectedHeader.crit.some((input) => typeof input != "string" || input.length === 0))
    throw new Err('"crit" (Critical) Header Parameter MUST be an array of non-empty strings when present');
  const recognized = recognizedOption === void 0 ? recognizedDefault : { __proto__: null, ...recognizedOption, ...recognizedDefault };
  for (const parameter of protectedHeader.crit) {
    if (!(parameter in recognized))
      throw new JOSENotSupported(`Extension Header Parameter "${parameter}" is not recognized`);
    if (!Object.hasOwn(joseHeader, parameter) || joseHeader[parameter] === void 0)
      throw new Err(`Extension Header Parameter "${parameter}" is missing`);
    if (recognized[parameter] && (!Object.hasOwn(protectedHeader, parameter) || protectedHeader[parameter] === void 0))
      throw new Err(`Extension Header Parameter "${parameter}" MUST be integrity protected`);
  }
  return protectedHeader.crit;
}
function validateB64(protectedHeader, extensions) {
  if (extensions.includes("b64")) {
    const b64 = protectedHeader.b64;
    if (typeof b64 != "boolean")
      throw new JWSInvalid('The "b64" (base64url-encode payload) Header Parameter must be a boolean');
    return b64;
  }
  return !0;
}
function serializeJoseHeader(Err, header) {
  let serialized, parsed;
  try {
    serialized = JSON.stringify(header), parsed = JSON.parse(serialized);
  } catch (cause) {
    throw new Err("JOSE Header is not valid JSON", { cause });
  }
  if (!isObject(parsed))
    throw new Err("JOSE Header is not a JSON object");
  return [parsed, serialized];
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/decode_protected_header.js

function decodeProtectedHeader(token) {
  let encodedProtectedHeader;
  if (typeof token == "string") {
    const parts = token.split(".");
    (parts.length === 3 || parts.length === 5) && ([encodedProtectedHeader] = parts);
  } else if (typeof token == "object" && token)
    if ("protected" in token)
      encodedProtectedHeader = token.protected;
    else
      throw new TypeError("Token does not contain a Protected Header");
  const invalid = "Invalid Token or Protected Header formatting";
  if (typeof encodedProtectedHeader != "string" || !encodedProtectedHeader)
    throw new TypeError(invalid);
  return parseJoseHeader(encodedProtectedHeader, TypeError, invalid);
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/errors.js
class JOSEError extends Error {
  static code = "ERR_JOSE_GENERIC";
  code = "ERR_JOSE_GENERIC";
  constructor(message, options) {
    super(message, options), this.name = this.constructor.name, Error.captureStackTrace?.(this, this.constructor);
  }
}
class JWTClaimValidationFailed extends JOSEError {
  static code = "ERR_JWT_CLAIM_VALIDATION_FAILED";
  code = "ERR_JWT_CLAIM_VALIDATION_FAILED";
  claim;
  reason;
  payload;
  constructor(message, payload, claim = "unspecified", reason = "unspecified") {
    super(message, { cause: { claim, reason, payload } }), this.claim = claim, this.reason = reason, this.payload = payload;
  }
}
class JWTExpired extends JOSEError {
  static code = "ERR_JWT_EXPIRED";
  code = "ERR_JWT_EXPIRED";
  claim;
  reason;
  payload;
  constructor(message, payload, claim = "unspecified", reason = "unspecified") {
    super(message, { cause: { claim, reason, payload } }), this.claim = claim, this.reason = reason, this.payload = payload;
  }
}
class JOSEAlgNotAllowed extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JOSE_ALG_NOT_ALLOWED"));
  code = "ERR_JOSE_ALG_NOT_ALLOWED";
}
class errors_JOSENotSupported extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JOSE_NOT_SUPPORTED"));
  code = "ERR_JOSE_NOT_SUPPORTED";
}
class JWEDecryptionFailed extends JOSEError {
  static code = "ERR_JWE_DECRYPTION_FAILED";
  code = "ERR_JWE_DECRYPTION_FAILED";
  constructor(message = "decryption operation failed", options) {
    super(message, options);
  }
}
class JWEInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWE_INVALID"));
  code = "ERR_JWE_INVALID";
}
class errors_JWSInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWS_INVALID"));
  code = "ERR_JWS_INVALID";
}
class JWTInvalid extends JOSEError {
  static code = "ERR_JWT_INVALID";
  code = "ERR_JWT_INVALID";
}
class JWKInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWK_INVALID"));
  code = "ERR_JWK_INVALID";
}
class JWKSInvalid extends (/* unused pure expression or super */ null && (JOSEError)) {
  static code = (/* unused pure expression or super */ null && ("ERR_JWKS_INVALID"));
  code = "ERR_JWKS_INVALID";
}
class JWKSNoMatchingKey extends JOSEError {
  static code = "ERR_JWKS_NO_MATCHING_KEY";
  code = "ERR_JWKS_NO_MATCHING_KEY";
  constructor(message = "no applicable key found in the JSON Web Key Set", options) {
    super(message, options);
  }
}
class JWKSMultipleMatchingKeys extends JOSEError {
  [Symbol.asyncIterator] = async function* () {
  };
  static code = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  code = "ERR_JWKS_MULTIPLE_MATCHING_KEYS";
  constructor(message = "multiple matching keys found in the JSON Web Key Set", options) {
    super(message, options);
  }
}
class JWKSTimeout extends JOSEError {
  static code = "ERR_JWKS_TIMEOUT";
  code = "ERR_JWKS_TIMEOUT";
  constructor(message = "request timed out", options) {
    super(message, options);
  }
}
class JWSSignatureVerificationFailed extends JOSEError {
  static code = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
  code = "ERR_JWS_SIGNATURE_VERIFICATION_FAILED";
  constructor(message = "signature verification failed", options) {
    super(message, options);
  }
}


;// CONCATENATED MODULE: ./node_modules/jose/dist/webapi/util/decode_jwt.js




function decodeJwt(jwt) {
  if (typeof jwt != "string")
    throw new JWTInvalid("JWTs must use Compact JWS serialization, JWT must be a string");
  const { 1: encodedPayload, length } = jwt.split(".");
  if (length === 5)
    throw new JWTInvalid("Only JWTs using Compact JWS serialization can be decoded");
  if (length !== 3)
    throw new JWTInvalid("Invalid JWT");
  if (!encodedPayload)
    throw new JWTInvalid("JWTs must contain a payload");
  let claimsSetBytes;
  try {
    claimsSetBytes = base64url_decode(encodedPayload);
  } catch (cause) {
    throw new JWTInvalid("Failed to base64url decode the payload", { cause });
  }
  let claimsSet;
  try {
    claimsSet = JSON.parse(strictDecoder.decode(claimsSetBytes));
  } catch (cause) {
    throw new JWTInvalid("Failed to parse the decoded payload as JSON", { cause });
  }
  if (!isObject(claimsSet))
    throw new JWTInvalid("Invalid JWT Claims Set");
  return claimsSet;
}


;// CONCATENATED MODULE: ./src/supabase/jwt.ts
/**
 * Reading JWT claims without verifying them. Verification needs the project's JWT secret, which
 * the guard usually does not have; the claims alone say which project and role a key is for, and
 * a forged key would fail at Supabase anyway. jose does the base64url/JSON decoding.
 */

// Three base64url segments; a signed JWT's JSON header always starts `{"` which encodes as `eyJ`.
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** A cheap shape test, so that ordinary strings never reach the decoder. */
function looksLikeJwt(text) {
    return JWT_SHAPE.test(text);
}
/** Header and claims of a compact JWS, or undefined for anything jose cannot decode. Never throws. */
function decodeJwtParts(text) {
    if (!looksLikeJwt(text))
        return undefined;
    try {
        const header = decodeProtectedHeader(text);
        // A JWS header names its algorithm; without one the string only looks like a token.
        if (typeof header.alg !== 'string')
            return undefined;
        return { header, claims: decodeJwt(text) };
    }
    catch {
        return undefined;
    }
}
/** The signature segment: the part of a token that is useless without the rest, and secret with it. */
function jwtSignature(text) {
    if (!looksLikeJwt(text))
        return undefined;
    const signature = text.slice(text.lastIndexOf('.') + 1);
    return signature === '' ? undefined : signature;
}
function stringClaim(claims, name) {
    const value = claims[name];
    return typeof value === 'string' ? value : undefined;
}
/** `exp` as a date; absent or not a finite number means the token states no expiry. */
function expiryOf(claims) {
    return typeof claims.exp === 'number' && Number.isFinite(claims.exp) ? new Date(claims.exp * 1000) : undefined;
}

;// CONCATENATED MODULE: ./src/supabase/keys.ts
/**
 * Supabase API key shapes, and the fixed values of the local CLI stack.
 *
 * Two generations of keys (https://supabase.com/docs/guides/api/api-keys,
 * https://supabase.com/docs/guides/getting-started/migrating-to-new-api-keys):
 * - legacy: HS256 JWTs signed with the project's JWT secret, claims
 *   `{"iss":"supabase","ref":"<ref>","role":"anon"|"service_role","iat","exp"}`. The anon key is
 *   meant for browsers; service_role bypasses Row Level Security and must stay on servers.
 * - new: opaque `sb_publishable_…` (browser-safe, replaces anon) and `sb_secret_…` (server-only,
 *   replaces service_role). They carry no claims, so they name a role but never a project.
 */
const PUBLISHABLE_PREFIX = 'sb_publishable_';
const SECRET_PREFIX = 'sb_secret_';
/**
 * Personal access tokens for the Management API and CLI (`SUPABASE_ACCESS_TOKEN`) start `sbp_`
 * (GitGuardian's "Supabase Personal Access Token" detector documents it as prefixed). They act for
 * an account across projects, so they are secret but name no project.
 */
const PERSONAL_TOKEN_PREFIX = 'sbp_';
/** Issuer of legacy project keys. */
const LEGACY_ISSUER = 'supabase';
/**
 * Issuer of the demo keys every `supabase start` prints: `{"iss":"supabase-demo","role":"anon"}`
 * and the service_role twin, with no `ref`. They only open a local stack.
 */
const DEMO_ISSUER = 'supabase-demo';
/**
 * The CLI's fixed local values, identical on every machine: recent `supabase start` prints these
 * opaque keys, and signs the demo JWTs with this default JWT secret. Seen verbatim in many public
 * repositories' local test setups next to `http://127.0.0.1:54321`. Because they are public and
 * reach only a local stack, they mean "local" and are not secrets.
 */
const LOCAL_PUBLISHABLE_KEY = 'sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH';
const LOCAL_SECRET_KEY = 'sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz';
const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
// The body after the prefix is base62 with `_`/`-` separators; anything else (`sb_secret_...` in
// a README, `sb_publishable_<your key>`) is a placeholder, not a key.
const OPAQUE_BODY = /^[A-Za-z0-9_-]+$/;
/** Which new-style key a value is, if any. */
function opaqueKeyKind(text) {
    if (text.startsWith(PUBLISHABLE_PREFIX) && OPAQUE_BODY.test(text.slice(PUBLISHABLE_PREFIX.length)))
        return 'publishable';
    if (text.startsWith(SECRET_PREFIX) && OPAQUE_BODY.test(text.slice(SECRET_PREFIX.length)))
        return 'secret';
    return undefined;
}
/** True for the local stack's fixed opaque keys. */
function isLocalOpaqueKey(text) {
    return text === LOCAL_PUBLISHABLE_KEY || text === LOCAL_SECRET_KEY;
}

;// CONCATENATED MODULE: ./src/supabase/names.ts
/**
 * Reading variable names. Names come in many spellings (`SUPABASE_URL`, `supabaseUrl`,
 * `NEXT_PUBLIC_SUPABASE_URL`, `supabase-url` in a JSON config), so every name test works on the
 * same upper-case word list instead of ad-hoc regexes that miss one of the spellings.
 */
/** `supabaseServiceRoleKey` and `SUPABASE_SERVICE_ROLE_KEY` both give `SUPABASE SERVICE ROLE KEY`. */
function nameTokens(name) {
    return name
        .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((token) => token !== '');
}
/** True when a word of the name contains SUPABASE (`SUPABASE_URL`, `MYSUPABASE_URL`). */
function mentionsSupabase(name) {
    return nameTokens(name).some((token) => token.includes('SUPABASE'));
}
// Words that make a Supabase-named variable hold the app's own URL rather than the project's API:
// `SUPABASE_REDIRECT_URL`, `SUPABASE_AUTH_SITE_URL`, `SUPABASE_WEBHOOK_URL` point back at the app.
const NOT_THE_API = new Set(['REDIRECT', 'CALLBACK', 'SITE', 'WEBHOOK', 'RETURN']);
const ADDRESS_WORDS = new Set(['URL', 'URI', 'HOST', 'ENDPOINT']);
/**
 * A variable whose name says it holds the Supabase API address (`VITE_SUPABASE_URL`,
 * `SUPABASE_API_URL`, `SUPABASE_URL_PROD`). Only for such names does a non-Supabase host count as
 * evidence (a custom domain); an `API_URL` pointing elsewhere says nothing about Supabase.
 */
function namesSupabaseAddress(name) {
    const tokens = nameTokens(name);
    return (tokens.some((token) => token.includes('SUPABASE')) &&
        tokens.some((token) => ADDRESS_WORDS.has(token)) &&
        !tokens.some((token) => NOT_THE_API.has(token)));
}
/** `SUPABASE_JWT_SECRET`, `SUPABASE_AUTH_JWT_SECRET`; a bare `JWT_SECRET` may be the app's own. */
function namesSupabaseJwtSecret(name) {
    const tokens = nameTokens(name);
    return (tokens.some((token) => token.includes('SUPABASE')) &&
        tokens.includes('JWT') &&
        tokens.includes('SECRET'));
}

;// CONCATENATED MODULE: ./src/supabase/urls.ts
/**
 * Hosts, refs and connection strings: the shapes by which a value names a Supabase project.
 * Pure string work; nothing here resolves DNS or throws on user input.
 */
/**
 * A hosted project's ref is exactly 20 lowercase letters. The Supabase CLI validates it with
 * `ProjectRefPattern = ^[a-z]{20}$` (github.com/supabase/cli, internal/utils/misc.go) and rejects
 * anything else with "Invalid project ref format. Must be like `abcdefghijklmnopqrst`"
 * (github.com/supabase/cli/issues/243).
 */
const PROJECT_REF_PATTERN = /^[a-z]{20}$/;
function urls_isProjectRef(text) {
    return PROJECT_REF_PATTERN.test(text);
}
/** `supabase start` serves the API on 54321 and Postgres on 54322 (its status output). */
const LOCAL_API_PORT = '54321';
const LOCAL_DB_PORT = '54322';
/** Parses without throwing; `undefined` for anything `URL` rejects. */
function parseUrl(text) {
    try {
        return new URL(text);
    }
    catch {
        return undefined;
    }
}
/**
 * Hostnames are case-insensitive (DNS), and `URL` lowercases them only for http(s); postgres://
 * is a non-special scheme whose host is kept as written, so callers lowercase through here.
 */
function hostOf(url) {
    return url.hostname.toLowerCase();
}
/**
 * Where a local Supabase stack is reached from: the machine itself, or the Docker host from inside
 * a container (`host.docker.internal`, which `supabase start` documents for Edge Functions).
 * All of 127.0.0.0/8 is loopback, and `*.localhost` resolves to loopback (RFC 6761).
 */
function isLocalHost(host) {
    const h = host.toLowerCase();
    return (h === 'localhost' ||
        h.endsWith('.localhost') ||
        h === '0.0.0.0' ||
        h === '[::1]' ||
        h === '::1' ||
        h === 'host.docker.internal' ||
        /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h));
}
// The platform's own domains. `.supabase.co` is the current one; `.supabase.in` appears next to it
// in the image allow-lists of older Next.js projects (`*.supabase.in` remotePatterns), so values on
// it are still Supabase. `.supabase.red` (the CLI's `ProjectHostPattern` accepts it) is Supabase's
// internal staging platform; a ref there is a different project from the same ref on .co, so it is
// deliberately not treated as a project host.
const PLATFORM_DOMAINS = ['supabase.co', 'supabase.in'];
/** True for any host under a Supabase platform domain, valid ref or not. */
function isPlatformHost(host) {
    const h = host.toLowerCase();
    return PLATFORM_DOMAINS.some((domain) => h === domain || h.endsWith(`.${domain}`));
}
/**
 * The ref a Supabase host names: `<ref>.supabase.co` (API), `<ref>.functions.supabase.co` and
 * `<ref>.storage.supabase.co` (service subdomains of the same project), `db.<ref>.supabase.co`
 * (direct Postgres, "db.[project-id].supabase.co:5432" in
 * https://supabase.com/docs/guides/database/connecting-to-postgres, and the CLI's
 * `ProjectHostPattern = ^(db\.)([a-z]{20})\.supabase\.(co|red)$`).
 */
function refFromPlatformHost(host) {
    const labels = host.toLowerCase().split('.');
    const domain = labels.slice(-2).join('.');
    if (!PLATFORM_DOMAINS.includes(domain))
        return undefined;
    const sub = labels.slice(0, -2);
    let ref;
    if (sub.length === 1)
        ref = sub[0];
    else if (sub.length === 2 && sub[0] === 'db')
        ref = sub[1];
    else if (sub.length === 2 && (sub[1] === 'functions' || sub[1] === 'storage'))
        ref = sub[0];
    return ref !== undefined && urls_isProjectRef(ref) ? ref : undefined;
}
/**
 * The shared pooler (Supavisor) lives on `aws-0-<region>.pooler.supabase.com` (newer projects get
 * `aws-1-…`): "postgres://postgres.<ref>:[YOUR-PASSWORD]@aws-0-[REGION].pooler.supabase.com:6543/postgres"
 * in https://supabase.com/docs/guides/database/connecting-to-postgres. The host is shared by every
 * project in the region; only the user name says which project.
 */
function isPoolerHost(host) {
    return host.toLowerCase().endsWith('.pooler.supabase.com');
}
/**
 * The pooler user is `<db role>.<ref>` (`postgres.abcdefghijklmnopqrst`). User names are
 * case-sensitive, so an upper-case ref is not a ref.
 */
function refFromPoolerUser(rawUser) {
    const user = safeDecode(rawUser);
    const dot = user.lastIndexOf('.');
    if (dot <= 0)
        return undefined;
    const ref = user.slice(dot + 1);
    return urls_isProjectRef(ref) ? ref : undefined;
}
function isPostgresUrl(text) {
    return /^postgres(?:ql)?:\/\//i.test(text);
}
/** `URL` keeps userinfo percent-encoded; a bad escape is left as written rather than thrown. */
function safeDecode(text) {
    try {
        return decodeURIComponent(text);
    }
    catch {
        return text;
    }
}
/**
 * The password part of `scheme://user:password@host`, exactly as written in the text (still
 * percent-encoded if it was), or undefined when there is none. Scanned by hand rather than with
 * `URL`, because `URL` re-encodes characters (`[` becomes `%5B`) and redaction must find the
 * spelling that is really in the text. The authority ends at the first `/`, `?` or `#`, and the
 * last `@` in it ends the userinfo, as in the WHATWG URL parser.
 */
function rawUrlPassword(text) {
    const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1];
    if (authority === undefined)
        return undefined;
    const at = authority.lastIndexOf('@');
    if (at < 0)
        return undefined;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon < 0)
        return undefined;
    const password = userinfo.slice(colon + 1);
    return password === '' ? undefined : password;
}

;// CONCATENATED MODULE: ./src/classify.ts
/**
 * The one place that decides what is secret (DESIGN §1 "read"; `Sensitive` only enforces it).
 *
 * Two sources of evidence, and the value wins where it can speak for itself:
 * - the value: a service_role JWT, an `sb_secret_` key or a password in a connection string is
 *   secret whatever it is called; an anon JWT or an `sb_publishable_` key is public by design
 *   (https://supabase.com/docs/guides/api/api-keys: "Anyone can read it") even in `SUPABASE_KEY`.
 * - the name, for everything else: `STRIPE_KEY=whatever` is hidden because of its name.
 * Everything handed in from the deploy environment is secret: those are GitHub secrets.
 *
 * Erring towards secret only hides text from reports; erring towards public prints a credential
 * into CI logs that outlive the rotation. Where in doubt, secret.
 */





/**
 * Prefixes that bundlers inline into browser code, so the value ships to every visitor: Vite
 * (`VITE_`), Next.js (`NEXT_PUBLIC_`), SvelteKit/Astro (`PUBLIC_`), Expo, Nuxt, Create React App,
 * Gatsby, Vue CLI and Angular (@ngx-env) (DESIGN §5).
 */
const BROWSER_PREFIXES = Object.freeze([
    'VITE_',
    'NEXT_PUBLIC_',
    'PUBLIC_',
    'EXPO_PUBLIC_',
    'NUXT_PUBLIC_',
    'REACT_APP_',
    'GATSBY_',
    'VUE_APP_',
    'NG_APP_',
]);
/** True when a bundler would put this variable into client code. Prefixes are case-sensitive. */
function isBrowserExposed(name) {
    return BROWSER_PREFIXES.some((prefix) => name.startsWith(prefix));
}
// A name ending in one of these holds a credential: API_KEY, SUPABASE_SERVICE_ROLE_KEY, AUTH_SECRET,
// GITHUB_TOKEN, SMTP_PASS.
const SECRET_LAST_WORDS = new Set(['KEY', 'KEYS', 'APIKEY', 'SECRET', 'TOKEN', 'PASS', 'PASSWD', 'PWD', 'CREDENTIALS', 'CREDENTIAL']);
// Anywhere in the name: DB_PASSWORD_PROD, PRIVATE_KEY_PEM, SECRET_KEY_BASE.
const SECRET_ANY_WORDS = new Set(['SECRET', 'PRIVATE', 'SERVICEROLE']);
const SECRET_WORD_PARTS = ['PASSWORD'];
// Qualifiers of a key that is public by design: SUPABASE_ANON_KEY, SUPABASE_PUBLISHABLE_KEY,
// SUPABASE_PUBLISHABLE_DEFAULT_KEY, VAPID_PUBLIC_KEY, TURNSTILE_SITE_KEY.
const PUBLIC_QUALIFIERS = new Set(['ANON', 'PUBLISHABLE', 'PUBLIC', 'SITE']);
function hasServiceRole(tokens) {
    return tokens.some((token, i) => token === 'SERVICE' && tokens[i + 1] === 'ROLE');
}
/**
 * Whether a name alone says "secret". Browser-exposed names never do: their value is public
 * whatever it is called (a service key there is caught by its value, and reported by
 * `service-role-exposed`). Connection strings (`DATABASE_URL`) are decided by their value.
 */
function isSecretName(name) {
    if (isBrowserExposed(name))
        return false;
    const tokens = nameTokens(name);
    if (tokens.length === 0)
        return false;
    const strong = tokens.some((token) => SECRET_ANY_WORDS.has(token) || SECRET_WORD_PARTS.some((part) => token.includes(part))) ||
        hasServiceRole(tokens);
    if (strong)
        return true;
    const last = tokens[tokens.length - 1] ?? '';
    if (!SECRET_LAST_WORDS.has(last))
        return false;
    // `SUPABASE_ANON_KEY` ends in KEY but is meant for browsers.
    return !tokens.slice(0, -1).some((token) => PUBLIC_QUALIFIERS.has(token));
}
// PEM private keys (`-----BEGIN PRIVATE KEY-----`, `BEGIN RSA PRIVATE KEY`, `BEGIN OPENSSH PRIVATE KEY`).
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
// Passwords that are obviously template text, e.g. the dashboard's "[YOUR-PASSWORD]".
const PLACEHOLDER_PASSWORD = /^(?:\[.*\]|<.*>|\$\{.*\}|\{\{.*\}\}|x+|\*+|\.+|password|changeme|your[-_]?password)$/i;
/**
 * A connection string whose password is real. Two exceptions, both public knowledge: template
 * placeholders, and the local stack's database (`postgres:postgres@127.0.0.1:54322`, printed by
 * every `supabase start`), which holds no deployment's data.
 */
function hasRealUrlPassword(text) {
    const raw = rawUrlPassword(text);
    if (raw === undefined)
        return false;
    if (PLACEHOLDER_PASSWORD.test(safeDecode(raw)))
        return false;
    const url = parseUrl(text);
    if (url && isLocalHost(hostOf(url)) && url.port === LOCAL_DB_PORT)
        return false;
    return true;
}
/**
 * JWTs are bearer credentials, except the two kinds made to be published: anon keys (role anon)
 * and the local CLI's demo keys (issuer supabase-demo, the same on every machine).
 */
function isPublicJwt(text) {
    const decoded = decodeJwtParts(text);
    if (!decoded)
        return undefined;
    return stringClaim(decoded.claims, 'role') === 'anon' || stringClaim(decoded.claims, 'iss') === DEMO_ISSUER;
}
/**
 * Whether a value is secret by its shape, whatever variable holds it: a JWT whose role isn't anon
 * (service_role keys, user access tokens), an `sb_secret_` key, a Supabase personal access token,
 * a connection string with a password, a PEM private key.
 *
 * Deliberately no entropy guess: public IDs (KV namespace ids, account ids, Sentry DSNs) are as
 * random as tokens, and calling them secret would flood `secret-in-plaintext`. Names cover the rest.
 */
function isSecretValue(text) {
    const value = text.trim();
    if (value === '')
        return false;
    const publicJwt = isPublicJwt(value);
    if (publicJwt !== undefined)
        return !publicJwt;
    if (opaqueKeyKind(value) === 'secret')
        return value !== LOCAL_SECRET_KEY;
    if (value.startsWith(PERSONAL_TOKEN_PREFIX) && value.length > PERSONAL_TOKEN_PREFIX.length + 8)
        return true;
    if (PEM_PRIVATE_KEY.test(value))
        return true;
    return hasRealUrlPassword(value);
}
/**
 * Values that are public by design, so a secret-sounding name (`SUPABASE_KEY`) does not make them
 * secret: anon and demo JWTs, publishable keys, and the local stack's fixed keys and JWT secret.
 */
function isPublicByDesign(text) {
    const value = text.trim();
    if (isPublicJwt(value) === true)
        return true;
    if (opaqueKeyKind(value) === 'publishable')
        return true;
    return value === LOCAL_SECRET_KEY || value === LOCAL_JWT_SECRET;
}
/**
 * Wraps a value with its verdict. Order matters: deploy-time values are always secret; a secret
 * shape beats any name (a service key in `VITE_SUPABASE_ANON_KEY` is still a service key); a
 * public-by-design shape beats a secret-sounding name; then the name decides.
 */
function classifyValue(name, text, origin) {
    return new Sensitive(text, isSecret(name, text, origin));
}
function isSecret(name, text, origin) {
    if (origin === 'deploy-env')
        return true;
    if (isSecretValue(text))
        return true;
    if (isPublicByDesign(text))
        return false;
    return isSecretName(name);
}
/**
 * Shorter strings are not redacted wherever they occur: a secret of `true` or `1` would shred
 * every report. Below this length a value is no credential worth the damage.
 */
const MIN_REDACTED_LENGTH = 4;
/** The spellings in which a secret, or a part that is secret on its own, can reach output. */
function secretFragments(secret) {
    const whole = secret.trim();
    const fragments = [secret, whole, JSON.stringify(whole).slice(1, -1)];
    const signature = jwtSignature(whole);
    if (signature !== undefined)
        fragments.push(signature);
    const password = rawUrlPassword(whole);
    if (password !== undefined)
        fragments.push(password, safeDecode(password));
    return fragments;
}
function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/**
 * Replaces every occurrence of the given secrets, their JWT signatures and their connection-string
 * passwords with `[redacted]`. A last line of defence for output channels (logs, summaries, PR
 * comments): findings should never contain secrets in the first place.
 *
 * One pass with the longest fragments first, so a fragment inside a longer one cannot leave a tail
 * behind, and text already replaced is not matched again.
 */
function redactText(text, secrets) {
    const fragments = new Set();
    for (const secret of secrets) {
        for (const fragment of secretFragments(secret)) {
            if (fragment.length >= MIN_REDACTED_LENGTH)
                fragments.add(fragment);
        }
    }
    if (fragments.size === 0)
        return text;
    const ordered = [...fragments].sort((a, b) => b.length - a.length || (a < b ? -1 : a > b ? 1 : 0));
    const pattern = new RegExp(ordered.map(escapeRegExp).join('|'), 'g');
    return text.replace(pattern, REDACTED);
}

;// CONCATENATED MODULE: ./src/layers.ts
/**
 * Which env files each tool loads, in which order (lowest precedence first). The frameworks
 * disagree, and getting the order wrong means comparing the wrong values (DESIGN §3, §4).
 */
/** File-name suffixes that mark a template listing names, not real values. */
const MANIFEST_SUFFIXES = ['.example', '.sample', '.template', '.dist', '.defaults'];
function isManifestFile(fileName) {
    return MANIFEST_SUFFIXES.some((suffix) => fileName.endsWith(suffix));
}
/**
 * Vite (`loadEnv`): .env < .env.local < .env.[mode] < .env.[mode].local, then process env.
 * So in a production build `.env.production` overrides `.env.local`.
 */
function viteEnvFiles(mode) {
    return ['.env', '.env.local', `.env.${mode}`, `.env.${mode}.local`];
}
/**
 * Next.js (@next/env): .env < .env.$NODE_ENV < .env.local < .env.$NODE_ENV.local, then process
 * env; `.env.local` is not loaded when NODE_ENV is `test`.
 */
function nextEnvFiles(mode) {
    const files = ['.env', `.env.${mode}`];
    if (mode !== 'test')
        files.push('.env.local');
    files.push(`.env.${mode}.local`);
    return files;
}
function frontendEnvFiles(framework, mode) {
    return framework === 'next' ? nextEnvFiles(mode) : viteEnvFiles(mode);
}
/**
 * The modes a frontend builds in: always development (`vite dev`, `next dev`) and production
 * (`vite build`, `next build`); Vite also any custom mode that has its own `.env.[mode]` file.
 * Next.js only knows NODE_ENV development/production/test, so its other files are never loaded.
 */
function frontendModes(framework, envFileNames) {
    const modes = new Set(['development', 'production']);
    if (framework === 'vite') {
        for (const name of envFileNames) {
            if (isManifestFile(name) || !name.startsWith('.env.'))
                continue;
            const mode = name.slice('.env.'.length).replace(/\.local$/, '');
            if (mode !== '' && mode !== 'local' && !mode.includes('.'))
                modes.add(mode);
        }
    }
    return [...modes].sort();
}
/**
 * `wrangler dev [--env NAME]`: `.dev.vars.NAME` INSTEAD of `.dev.vars` (no merge), else
 * `.dev.vars`; only when neither exists, `.env` < `.env.local` < `.env.NAME` < `.env.NAME.local`.
 * Returns the files that exist, in load order.
 */
function wranglerDevFiles(envName, existing) {
    if (envName !== null && existing.has(`.dev.vars.${envName}`))
        return { files: [`.dev.vars.${envName}`], source: 'dev-vars' };
    if (existing.has('.dev.vars'))
        return { files: ['.dev.vars'], source: 'dev-vars' };
    const candidates = envName === null ? ['.env', '.env.local'] : ['.env', '.env.local', `.env.${envName}`, `.env.${envName}.local`];
    return { files: candidates.filter((f) => existing.has(f)), source: 'dev-env' };
}

;// CONCATENATED MODULE: ./src/pairing.ts
function withoutProduction(workers) {
    const configs = new Set();
    for (const w of workers) {
        if (!w.environments.some((e) => e.name === 'production' && !e.dev))
            configs.add(w.config);
    }
    return configs;
}
/** The pairs between frontend and Worker surfaces that exist in this repository. */
function pairSurfaces(surfaces, workers, rules) {
    const frontends = surfaces.filter((s) => s.kind === 'frontend');
    const workerSurfaces = surfaces.filter((s) => s.kind === 'worker');
    const pairs = [];
    const seen = new Set();
    const add = (pair) => {
        const key = `${pair.frontend.path}\0${pair.frontend.environment}\0${pair.worker.path}\0${pair.worker.environment}`;
        if (seen.has(key))
            return;
        seen.add(key);
        pairs.push(pair);
    };
    if (rules && rules.length > 0) {
        for (const rule of rules) {
            for (const f of frontends) {
                if (f.environment !== rule.frontend || (rule.frontendPath && f.path !== rule.frontendPath))
                    continue;
                for (const w of workerSurfaces) {
                    if (w.environment !== rule.worker || (rule.workerPath && w.path !== rule.workerPath))
                        continue;
                    add({ environment: rule.environment ?? rule.frontend, frontend: { path: f.path, environment: f.environment }, worker: { path: w.path, environment: w.environment }, reason: 'config' });
                }
            }
        }
    }
    else {
        const topLevelIsProduction = withoutProduction(workers);
        for (const f of frontends) {
            for (const w of workerSurfaces) {
                const frontend = { path: f.path, environment: f.environment };
                const worker = { path: w.path, environment: w.environment };
                if (w.environment === f.environment && w.environment !== 'local') {
                    add({ environment: f.environment, frontend, worker, reason: 'same-name' });
                }
                else if (w.environment === 'local' && f.environment === 'development') {
                    add({ environment: 'local', frontend, worker, reason: 'local-dev' });
                }
                else if (w.environment === 'top-level' && f.environment === 'production' && topLevelIsProduction.has(w.path)) {
                    add({ environment: 'production', frontend, worker, reason: 'top-level-as-production' });
                }
            }
        }
    }
    return pairs.sort((a, b) => a.environment.localeCompare(b.environment) ||
        a.frontend.path.localeCompare(b.frontend.path) ||
        a.worker.path.localeCompare(b.worker.path) ||
        a.worker.environment.localeCompare(b.worker.environment));
}

;// CONCATENATED MODULE: ./src/supabase/target.ts




const LOCAL = { kind: 'local' };
function unknown(reason) {
    return { kind: 'unknown', reason };
}
/**
 * What a variable says about Supabase, or `undefined` when it is not about Supabase. The value is
 * revealed only to be parsed here; nothing derived from it that could be secret is returned
 * (hosts and refs are not secret, userinfo is never included).
 */
function resolveSupabaseValue(name, value) {
    const text = value.reveal().trim();
    if (text === '')
        return undefined;
    return (resolveJwt(text) ??
        resolveOpaqueKey(text) ??
        resolveConnectionString(name, text) ??
        resolveHttpUrl(name, text) ??
        resolveJwtSecret(name, text) ??
        resolveSupabaseAddressName(name));
}
/** Maps a JWT `role` claim to the evidence role. Anything but the two key roles acts for a user. */
function keyRole(jwtRole) {
    if (jwtRole === 'anon')
        return 'anon-key';
    if (jwtRole === 'service_role')
        return 'service-key';
    return 'access-token';
}
/**
 * Legacy keys, local demo keys and user access tokens. Other issuers' JWTs (Auth0, Firebase, a
 * Cloudflare Access token) are not Supabase evidence.
 */
function resolveJwt(text) {
    const decoded = decodeJwtParts(text);
    if (!decoded)
        return undefined;
    const { claims } = decoded;
    const issuer = stringClaim(claims, 'iss');
    const jwtRole = stringClaim(claims, 'role');
    const expiresAt = expiryOf(claims);
    const details = {
        ...(expiresAt ? { expiresAt } : {}),
        ...(jwtRole !== undefined ? { jwtRole } : {}),
        ...(issuer !== undefined ? { issuer } : {}),
    };
    if (issuer === DEMO_ISSUER)
        return { role: keyRole(jwtRole), target: LOCAL, ...details };
    // Keys from before `iss`/`ref` were added carried only role, iat and exp
    // ("Understanding API Keys", https://supabase.com/docs/guides/api/api-keys); self-hosted stacks
    // still mint `{"iss":"supabase","role":…}` without a ref. Both are keys that name no project.
    const isKeyRole = jwtRole === 'anon' || jwtRole === 'service_role';
    if (issuer === LEGACY_ISSUER || (issuer === undefined && isKeyRole)) {
        return { role: keyRole(jwtRole), target: targetFromRefClaim(claims.ref), ...details };
    }
    // Supabase Auth access tokens: `iss` is "https://<project-ref>.supabase.co/auth/v1"
    // (https://supabase.com/docs/guides/auth/jwt-fields). The `/auth/v1` path marks the issuer as
    // Supabase Auth even behind a custom domain or on a local stack.
    const issuerUrl = issuer !== undefined ? parseUrl(issuer) : undefined;
    if (issuerUrl && isHttp(issuerUrl) && issuerUrl.pathname.replace(/\/+$/, '').endsWith('/auth/v1')) {
        const target = targetFromHttpUrl(issuerUrl, true) ?? unknown('unrecognised issuer');
        // The ref was read from a token claim, so the evidence is the JWT, not a configured URL.
        return { role: 'access-token', target: target.kind === 'project' ? { ...target, via: 'jwt' } : target, ...details };
    }
    return undefined;
}
function targetFromRefClaim(ref) {
    if (ref === undefined)
        return unknown('JWT key names no project');
    // The CLI rejects refs that are not 20 lowercase letters; so do we, rather than guess.
    return typeof ref === 'string' && urls_isProjectRef(ref)
        ? { kind: 'project', ref, via: 'jwt' }
        : unknown('JWT key carries an invalid project ref');
}
/** `sb_publishable_…` / `sb_secret_…`: a role, but no project (except the CLI's fixed local pair). */
function resolveOpaqueKey(text) {
    const kind = opaqueKeyKind(text);
    if (!kind)
        return undefined;
    const target = isLocalOpaqueKey(text) ? LOCAL : unknown('opaque key, names no project');
    return { role: kind === 'publishable' ? 'publishable-key' : 'secret-key', target };
}
function resolveConnectionString(name, text) {
    if (!isPostgresUrl(text))
        return undefined;
    const target = targetFromConnectionString(name, text);
    return target ? { role: 'database-url', target } : undefined;
}
function targetFromConnectionString(name, text) {
    const url = parseUrl(text);
    if (!url)
        return mentionsSupabase(name) ? unknown('malformed connection string') : undefined;
    const host = hostOf(url);
    const ref = refFromPlatformHost(host);
    if (ref)
        return { kind: 'project', ref, via: 'connection-string' };
    if (isPoolerHost(host)) {
        const userRef = refFromPoolerUser(url.username);
        return userRef ? { kind: 'project', ref: userRef, via: 'connection-string' } : unknown('pooler connection string names no project');
    }
    if (isPlatformHost(host))
        return unknown(`${host} is not a project host`);
    // 54322 is the local stack's Postgres; any other local Postgres is only Supabase if the name says so.
    if (isLocalHost(host) && (url.port === LOCAL_DB_PORT || mentionsSupabase(name)))
        return LOCAL;
    return mentionsSupabase(name) ? unknown(`database host ${host}`) : undefined;
}
function resolveHttpUrl(name, text) {
    if (!/^https?:\/\//i.test(text))
        return undefined;
    const url = parseUrl(text);
    const target = url ? targetFromHttpUrl(url, namesSupabaseAddress(name)) : undefined;
    return target ? { role: 'url', target } : undefined;
}
function isHttp(url) {
    return url.protocol === 'http:' || url.protocol === 'https:';
}
/**
 * The target an http(s) URL names. `saysSupabase`: the name (or, for token issuers, the
 * `/auth/v1` path) already says this is a Supabase address, so a foreign host is a custom domain
 * rather than something unrelated. Only the host is ever put in a reason, never userinfo.
 */
function targetFromHttpUrl(url, saysSupabase) {
    if (!isHttp(url))
        return undefined;
    const host = hostOf(url);
    const ref = refFromPlatformHost(host);
    if (ref)
        return { kind: 'project', ref, via: 'url' };
    if (isPlatformHost(host))
        return unknown(`${host} is not a project host`);
    // 54321 is the local stack's API port; on a LAN address it is still the stack (a phone testing
    // an Expo app reaches the developer's machine as 192.168.x.y:54321).
    if (url.port === LOCAL_API_PORT)
        return LOCAL;
    if (isLocalHost(host) && saysSupabase)
        return LOCAL;
    return saysSupabase ? unknown(`custom domain ${host}`) : undefined;
}
/** `SUPABASE_JWT_SECRET`-like names: the project's signing secret, which names no project. */
function resolveJwtSecret(name, text) {
    if (!namesSupabaseJwtSecret(name))
        return undefined;
    const target = text === LOCAL_JWT_SECRET ? LOCAL : unknown('a JWT secret names no project');
    return { role: 'jwt-secret', target };
}
/** `SUPABASE_URL=your-project-url`: clearly meant as the address, but not one. */
function resolveSupabaseAddressName(name) {
    return namesSupabaseAddress(name) ? { role: 'url', target: unknown('not a URL') } : undefined;
}
/**
 * The ref in `supabase/.temp/project-ref` (written by `supabase link`). The CLI trims surrounding
 * whitespace and validates the ref the same way (`LoadProjectRef` in internal/utils/misc.go).
 */
function projectRefFromFile(text) {
    const ref = text.trim();
    return isProjectRef(ref) ? ref : undefined;
}
/** The project-ref file as a target, for evidence with role `project-ref`. */
function projectRefFileTarget(text) {
    const ref = projectRefFromFile(text);
    return ref ? { kind: 'project', ref, via: 'project-ref-file' } : unknown('project-ref file holds no valid ref');
}
/**
 * Whether two targets are the same backend: `true`/`false` when both are known, `undefined` when
 * either is unknown (a custom domain may or may not be that project; rules must not guess).
 */
function sameTarget(a, b) {
    if (a.kind === 'unknown' || b.kind === 'unknown')
        return undefined;
    if (a.kind === 'local' || b.kind === 'local')
        return a.kind === b.kind;
    return a.ref === b.ref;
}
/** For messages: "project abcdefghijklmnopqrst", "local Supabase stack", "unknown (custom domain api.example.com)". */
function describeTarget(target) {
    switch (target.kind) {
        case 'project':
            return `project ${target.ref}`;
        case 'local':
            return 'local Supabase stack';
        case 'unknown':
            return `unknown (${target.reason})`;
    }
}
const KEY_ROLES = new Set(['anon-key', 'service-key', 'publishable-key', 'secret-key', 'access-token']);
function isKnown(evidence) {
    return evidence.target.kind !== 'unknown';
}
/**
 * The backend a surface talks to. The URL decides, because that is where requests go. When the URL
 * is a custom domain (or missing), a key that names a project says which project is behind it, and
 * a connection string says which database the code reaches; keys first, as they travel with the
 * URL. Otherwise the surface's target is unknown, reported with its URL evidence if it has one:
 * a JWT secret or the linked project-ref file alone does not say where the surface sends requests.
 * Evidence order breaks ties, so callers get a deterministic answer.
 */
function surfaceTarget(evidence) {
    const chosen = evidence.find((e) => e.role === 'url' && isKnown(e)) ??
        evidence.find((e) => KEY_ROLES.has(e.role) && isKnown(e)) ??
        evidence.find((e) => e.role === 'database-url' && isKnown(e));
    if (chosen)
        return { target: chosen.target, evidence: chosen };
    const fallback = evidence.find((e) => e.role === 'url') ?? evidence[0];
    if (!fallback)
        return undefined;
    const target = fallback.target.kind === 'unknown' ? fallback.target : unknown('no URL, key or connection string names the backend');
    return { target, evidence: fallback };
}

;// CONCATENATED MODULE: ./src/build-model.ts
/**
 * From what the readers returned (plus deploy-time values) to the DeploymentModel: frontends per
 * build mode, Workers per environment (deployed and `wrangler dev`), each with the Supabase
 * evidence it carries, and the pairs of surfaces that must agree. Pure: no I/O here.
 */






const FRONTEND_PACKAGES = [
    'vite', 'next', '@sveltejs/kit', 'astro', 'nuxt', 'react-scripts', 'expo', 'gatsby', '@angular/core', '@vue/cli-service', '@remix-run/dev', '@react-router/dev',
];
const build_model_BROWSER_PREFIXES = ['VITE_', 'NEXT_PUBLIC_', 'PUBLIC_', 'EXPO_PUBLIC_', 'NUXT_PUBLIC_', 'REACT_APP_', 'GATSBY_', 'VUE_APP_', 'NG_APP_'];
function dirOf(file) {
    const dir = posix_default().dirname(file);
    return dir === '' ? '.' : dir;
}
function baseName(file) {
    return posix_default().basename(file);
}
function at(file, line, column) {
    return { file, line, column };
}
/** Layers env files in order: a later file's value replaces an earlier one's. */
function build_model_layer(files) {
    const vars = new Map();
    for (const file of files) {
        for (const entry of file.entries) {
            vars.set(entry.name, {
                name: entry.name,
                value: classifyValue(entry.name, entry.value, 'file'),
                at: at(file.path, entry.line, entry.column),
                source: 'file',
            });
        }
    }
    return vars;
}
function evidenceOf(vars) {
    const evidence = [];
    for (const variable of vars) {
        const resolved = resolveSupabaseValue(variable.name, variable.value);
        if (!resolved)
            continue;
        evidence.push({ variable: variable.name, role: resolved.role, target: resolved.target, at: variable.at, source: variable.source });
    }
    return evidence.sort((a, b) => compareLocation(a.at, b.at) || a.variable.localeCompare(b.variable));
}
function compareLocation(a, b) {
    return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}
function detectFramework(dir, packageJsons) {
    const pkg = packageJsons.find((p) => dirOf(p.path) === dir);
    if (!pkg)
        return undefined;
    if (pkg.dependencies.has('next'))
        return 'next';
    return FRONTEND_PACKAGES.some((name) => pkg.dependencies.has(name)) ? 'vite' : undefined;
}
function hasBrowserVariables(files) {
    return files.some((f) => f.entries.some((e) => build_model_BROWSER_PREFIXES.some((p) => e.name.startsWith(p))));
}
/** Frontend directories: those whose env files hold browser-exposed names, or whose package.json uses a frontend framework. */
function frontendDirectories(data) {
    const byDir = groupBy(data.envFiles.filter((f) => !baseName(f.path).startsWith('.dev.vars')), (f) => dirOf(f.path));
    const dirs = new Map();
    const candidates = new Set([...byDir.keys(), ...data.packageJsons.map((p) => dirOf(p.path))]);
    for (const dir of candidates) {
        const framework = detectFramework(dir, data.packageJsons);
        const files = byDir.get(dir) ?? [];
        if (framework)
            dirs.set(dir, framework);
        else if (hasBrowserVariables(files))
            dirs.set(dir, 'vite');
    }
    return dirs;
}
function groupBy(items, key) {
    const groups = new Map();
    for (const item of items) {
        const k = key(item);
        const list = groups.get(k);
        if (list)
            list.push(item);
        else
            groups.set(k, [item]);
    }
    return groups;
}
/** Names a surface declares without giving values: templates such as `.env.example`. */
function manifestNames(files) {
    const names = new Map();
    for (const file of files) {
        if (!isManifestFile(baseName(file.path)))
            continue;
        for (const entry of file.entries)
            if (!names.has(entry.name))
                names.set(entry.name, at(file.path, entry.line, entry.column));
    }
    return names;
}
function deployedVariable(name, text, declaredAt) {
    // Everything handed in by the workflow is treated as secret, whatever its name.
    return { name, value: new Sensitive(text, true), at: declaredAt, source: 'deploy-env' };
}
function buildFrontendSurfaces(data, deploy) {
    const surfaces = [];
    const envFilesByDir = groupBy(data.envFiles.filter((f) => !baseName(f.path).startsWith('.dev.vars')), (f) => dirOf(f.path));
    for (const [dir, framework] of [...frontendDirectories(data)].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const files = envFilesByDir.get(dir) ?? [];
        const byName = new Map(files.map((f) => [baseName(f.path), f]));
        const declared = manifestNames(files);
        for (const f of files)
            for (const e of f.entries)
                if (!declared.has(e.name))
                    declared.set(e.name, at(f.path, e.line, e.column));
        for (const mode of frontendModes(framework, [...byName.keys()])) {
            const layerFiles = frontendEnvFiles(framework, mode).map((n) => byName.get(n)).filter((f) => f !== undefined);
            const vars = build_model_layer(layerFiles);
            if (deploy && deploy.environment === mode) {
                for (const [name, declaredAt] of declared) {
                    const text = deploy.values.get(name);
                    if (text !== undefined)
                        vars.set(name, deployedVariable(name, text, declaredAt));
                }
            }
            if (layerFiles.length === 0 && vars.size === 0)
                continue;
            surfaces.push({
                kind: 'frontend',
                path: dir,
                environment: mode,
                label: `frontend ${dir} (${framework}, mode ${mode})`,
                sources: layerFiles.map((f) => f.path),
                evidence: evidenceOf(vars.values()),
            });
        }
    }
    return surfaces;
}
/** The local `wrangler dev` environments of a Worker config, built from .dev.vars / dev .env files. */
function devEnvironments(worker, envFiles) {
    const dir = dirOf(worker.path);
    const local = envFiles.filter((f) => dirOf(f.path) === dir && !isManifestFile(baseName(f.path)));
    const byName = new Map(local.map((f) => [baseName(f.path), f]));
    const existing = new Set(byName.keys());
    const result = [];
    for (const base of worker.environments) {
        // The top level always has a dev variant; an [env.NAME] only when it has dev files of its own.
        if (base.name !== null && !existing.has(`.dev.vars.${base.name}`) && !existing.has(`.env.${base.name}`))
            continue;
        const { files, source } = wranglerDevFiles(base.name, existing);
        const loaded = files.map((n) => byName.get(n)).filter((f) => f !== undefined);
        const secrets = [...build_model_layer(loaded).values()].map((v) => ({ name: v.name, source, at: v.at, value: { value: v.value, at: v.at } }));
        result.push({ ...base, dev: true, secrets: mergeSecrets(base.secrets, secrets) });
    }
    return result;
}
/** Later declarations of the same name replace earlier ones (a value beats a bare name). */
function mergeSecrets(first, second) {
    const byName = new Map();
    for (const s of [...first, ...second]) {
        const prior = byName.get(s.name);
        if (!prior || s.value || !prior.value)
            byName.set(s.name, s);
    }
    return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
/** Whether `--env NAME` deploys this Worker environment. */
function isDeployedBy(env, all, deployEnv) {
    if (env.dev)
        return false;
    if (env.name === deployEnv)
        return true;
    // Without an [env.production], the top level is what production deploys.
    return env.name === null && deployEnv === 'production' && !all.some((e) => e.name === 'production' && !e.dev);
}
function applyDeployValues(worker, envs, envFiles, deploy) {
    const dir = dirOf(worker.path);
    const manifests = manifestNames(envFiles.filter((f) => dirOf(f.path) === dir));
    const devNames = new Map();
    for (const env of envs)
        for (const s of env.secrets)
            if (env.dev && s.at && !devNames.has(s.name))
                devNames.set(s.name, s.at);
    return envs.map((env) => {
        if (!isDeployedBy(env, envs, deploy.environment))
            return env;
        const declared = new Map();
        for (const [name, loc] of [...manifests, ...devNames])
            declared.set(name, loc);
        for (const s of env.secrets)
            if (s.at)
                declared.set(s.name, s.at);
        const handedIn = [];
        for (const [name, loc] of [...declared].sort(([a], [b]) => a.localeCompare(b))) {
            // A [vars] entry wins at deploy: wrangler refuses a secret with a var's name.
            if (name in env.vars)
                continue;
            const text = deploy.values.get(name);
            if (text === undefined)
                continue;
            handedIn.push({ name, source: 'deploy-env', at: loc, value: { value: new Sensitive(text, true), at: loc } });
        }
        return handedIn.length === 0 ? env : { ...env, secrets: mergeSecrets(env.secrets, handedIn) };
    });
}
/** Reclassifies [vars] values (a service key committed in [vars] is still a secret). */
function classifyVars(env) {
    const vars = {};
    for (const [name, v] of Object.entries(env.vars))
        vars[name] = { value: classifyValue(name, v.value.reveal(), 'file'), at: v.at };
    return { ...env, vars };
}
function workerEnvironmentLabel(env) {
    if (env.dev)
        return env.name === null ? 'wrangler dev' : `wrangler dev --env ${env.name}`;
    return env.name === null ? 'top level' : `[env.${env.name}]`;
}
/** The environment name a Worker surface belongs to before pairing. */
function workerSurfaceEnvironment(env) {
    if (env.dev)
        return 'local';
    return env.name ?? 'top-level';
}
function workerSurface(env) {
    const vars = Object.entries(env.vars).map(([name, v]) => ({ name, ...v, source: 'file' }));
    for (const secret of env.secrets) {
        if (!secret.value)
            continue;
        vars.push({ name: secret.name, ...secret.value, source: secret.source === 'deploy-env' ? 'deploy-env' : 'file' });
    }
    // A secret of the same name overrides a var (dev values do in `wrangler dev`).
    const byName = new Map();
    for (const v of vars)
        byName.set(v.name, v);
    return {
        kind: 'worker',
        path: env.config,
        environment: workerSurfaceEnvironment(env),
        label: `worker ${env.scriptName} (${env.config} ${workerEnvironmentLabel(env)})`,
        sources: [...new Set([...byName.values()].map((v) => v.at.file))].sort(),
        evidence: evidenceOf(byName.values()),
    };
}
function buildModel(data, options = {}) {
    const workers = [...data.workers]
        .sort((a, b) => (a.path < b.path ? -1 : 1))
        .map((worker) => {
        let envs = [...worker.environments, ...devEnvironments(worker, data.envFiles)].map(classifyVars);
        if (options.deploy)
            envs = applyDeployValues(worker, envs, data.envFiles, options.deploy);
        return { config: worker.path, environments: envs };
    });
    const workerSurfaces = workers.flatMap((w) => w.environments.map(workerSurface));
    const frontendSurfaces = buildFrontendSurfaces(data, options.deploy);
    const surfaces = [...frontendSurfaces, ...workerSurfaces];
    return {
        root: data.root,
        workers,
        surfaces,
        pairs: pairSurfaces(surfaces, workers, options.pairs),
        problems: [],
        supabaseLinks: data.projectRefs.map((p) => ({ path: p.path, ref: p.ref })),
    };
}

// EXTERNAL MODULE: ./node_modules/jsonc-parser/lib/umd/main.js
var main = __nccwpck_require__(547);
;// CONCATENATED MODULE: ./src/errors.ts
/**
 * Two kinds of failure, kept apart (as github/codeql-action does): a `ConfigurationError` is the
 * user's to fix (bad flag, unreadable root, invalid config file) and is printed as one clear line
 * with exit code 2; anything else is a bug in deploy-guard and is reported as such, asking for an
 * issue. A broken file in the checked repository is neither: it becomes a `parse-error` finding.
 */
class ConfigurationError extends Error {
    name = 'ConfigurationError';
}
function describeFailure(error) {
    if (error instanceof ConfigurationError)
        return { userError: true, message: error.message };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
        userError: false,
        message: `deploy-guard failed unexpectedly (${detail}). This is a bug in deploy-guard, not in your repository; please report it with the command you ran.`,
    };
}

;// CONCATENATED MODULE: ./src/rules/parse-error.ts
/** Files that could not be parsed, and files skipped on purpose (as notes), so nothing is lost silently. */
const parseError = {
    id: 'parse-error',
    defaultSeverity: 'error',
    description: 'A wrangler config, env file or other input could not be read or parsed.',
    check(model) {
        return model.problems.map((p) => ({
            severity: p.severity,
            message: p.message,
            file: p.file,
            line: p.line,
            column: p.column,
        }));
    },
};

;// CONCATENATED MODULE: ./src/rules/supabase-ref-mismatch.ts

function matching(model, side, kind) {
    return model.surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}
/** "VITE_SUPABASE_URL (.env.production:1)" or "SUPABASE_URL (handed in at deploy time, declared at …)". */
function describeEvidence(e) {
    const where = `${e.at.file}:${e.at.line}`;
    return e.source === 'deploy-env' ? `${e.variable} (handed in at deploy time; declared at ${where})` : `${e.variable} (${where})`;
}
/**
 * The incident's fault: a frontend and the Worker it calls talk to different Supabase projects, so
 * the Worker rejects every user token the frontend obtained (401 on every API call).
 */
const supabaseRefMismatch = {
    id: 'supabase-ref-mismatch',
    defaultSeverity: 'error',
    description: 'A frontend and the Worker it is paired with talk to different Supabase projects (or one to the local stack).',
    check(model) {
        const findings = [];
        for (const pair of model.pairs) {
            for (const worker of matching(model, pair.worker, 'worker')) {
                const workerTarget = surfaceTarget(worker.evidence);
                if (!workerTarget)
                    continue;
                for (const frontend of matching(model, pair.frontend, 'frontend')) {
                    const frontendTarget = surfaceTarget(frontend.evidence);
                    if (!frontendTarget || sameTarget(workerTarget.target, frontendTarget.target) !== false)
                        continue;
                    const w = workerTarget.evidence;
                    const f = frontendTarget.evidence;
                    findings.push({
                        message: `In environment "${pair.environment}", ${worker.label} talks to ${describeTarget(workerTarget.target)} through ${describeEvidence(w)}, ` +
                            `but ${frontend.label} talks to ${describeTarget(frontendTarget.target)} through ${describeEvidence(f)}. ` +
                            'Tokens issued by one project are rejected by the other, so every authenticated call from this frontend to this Worker fails with 401.',
                        file: w.at.file,
                        line: w.at.line,
                        column: w.at.column,
                        environment: pair.environment,
                        subject: w.variable,
                        related: [{ ...f.at, message: `${f.variable}: ${describeTarget(frontendTarget.target)}` }],
                    });
                }
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./src/rules/supabase-key-mismatch.ts


/** Evidence that names where requests go or which project issued a key (opaque keys name nothing). */
function isDecisive(e) {
    return e.target.kind !== 'unknown';
}
/**
 * Within one surface, a key (or database URL) of another project than its URL: the client gets
 * "Invalid API key" or JWT errors although each value looks right on its own.
 */
const supabaseKeyMismatch = {
    id: 'supabase-key-mismatch',
    defaultSeverity: 'error',
    description: "A Supabase key or database URL belongs to another project than the surface's Supabase URL.",
    check(model) {
        const findings = [];
        for (const surface of model.surfaces) {
            const decisive = surface.evidence.filter(isDecisive);
            // The URL is where requests go; without a decisive URL (custom domain), the first key decides.
            const reference = decisive.find((e) => e.role === 'url') ?? decisive[0];
            if (!reference)
                continue;
            for (const e of decisive) {
                if (e === reference || e.role === 'url' || e.role === 'access-token')
                    continue;
                if (sameTarget(reference.target, e.target) !== false)
                    continue;
                findings.push({
                    message: `In ${surface.label}, ${describeEvidence(e)} belongs to ${describeTarget(e.target)}, ` +
                        `but ${describeEvidence(reference)} points at ${describeTarget(reference.target)}. ` +
                        'Requests made with this key are rejected by that project.',
                    file: e.at.file,
                    line: e.at.line,
                    column: e.at.column,
                    environment: surface.environment,
                    subject: e.variable,
                    related: [{ ...reference.at, message: `${reference.variable}: ${describeTarget(reference.target)}` }],
                });
            }
        }
        return findings;
    },
};

;// CONCATENATED MODULE: ./src/rules/index.ts



const RULES = [supabaseRefMismatch, supabaseKeyMismatch, parseError];
function findRule(id) {
    return RULES.find((r) => r.id === id);
}

;// CONCATENATED MODULE: ./src/config.ts
/**
 * deploy-guard.config.json (JSONC accepted): the one place that owns defaults. Action inputs and
 * CLI flags override it key by key. An unknown key is an error naming the key, so a typo never
 * silently turns a check off.
 */





const CONFIG_FILE_NAME = 'deploy-guard.config.json';
const DEFAULT_CONFIG = { rules: {}, ignore: [], pairs: [], failOn: 'error' };
const SEVERITIES = ['error', 'warning', 'note'];
const RULE_SETTINGS = [...SEVERITIES, 'off'];
const FAIL_ON_VALUES = ['error', 'warning', 'note', 'never'];
const TOP_LEVEL_KEYS = ['$schema', 'rules', 'ignore', 'pairs', 'failOn'];
const PAIR_KEYS = ['frontend', 'worker', 'environment', 'frontendPath', 'workerPath'];
function lineOf(text, offset) {
    let line = 1;
    for (let i = 0; i < offset && i < text.length; i++)
        if (text.charCodeAt(i) === 10)
            line++;
    return line;
}
function fail(file, message) {
    throw new ConfigurationError(`${file}: ${message}`);
}
function isRecord(v) {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function checkKeys(file, where, value, allowed) {
    for (const key of Object.keys(value)) {
        if (!allowed.includes(key))
            fail(file, `unknown key "${key}" in ${where} (allowed: ${allowed.join(', ')}).`);
    }
}
/** Validates parsed config data. Pure; `file` is only used in messages. */
function validateConfig(data, file) {
    if (!isRecord(data))
        fail(file, 'the config must be a JSON object.');
    checkKeys(file, 'the config', data, TOP_LEVEL_KEYS);
    const config = { ...DEFAULT_CONFIG, rules: {}, ignore: [], pairs: [], source: file };
    if (data.rules !== undefined) {
        if (!isRecord(data.rules))
            fail(file, '"rules" must be an object mapping rule ids to error, warning, note or off.');
        for (const [id, setting] of Object.entries(data.rules)) {
            if (!RULES.some((r) => r.id === id))
                fail(file, `unknown rule "${id}" in "rules" (known: ${RULES.map((r) => r.id).join(', ')}).`);
            if (typeof setting !== 'string' || !RULE_SETTINGS.includes(setting))
                fail(file, `rule "${id}" must be set to one of ${RULE_SETTINGS.join(', ')}.`);
            config.rules[id] = setting;
        }
    }
    if (data.ignore !== undefined) {
        if (!Array.isArray(data.ignore) || data.ignore.some((p) => typeof p !== 'string'))
            fail(file, '"ignore" must be an array of path patterns.');
        config.ignore = data.ignore;
    }
    if (data.pairs !== undefined) {
        if (!Array.isArray(data.pairs))
            fail(file, '"pairs" must be an array of { "frontend": MODE, "worker": ENV } objects.');
        config.pairs = data.pairs.map((pair, i) => {
            if (!isRecord(pair))
                fail(file, `pairs[${i}] must be an object.`);
            checkKeys(file, `pairs[${i}]`, pair, PAIR_KEYS);
            for (const key of PAIR_KEYS) {
                if (pair[key] !== undefined && typeof pair[key] !== 'string')
                    fail(file, `pairs[${i}].${key} must be a string.`);
            }
            if (typeof pair.frontend !== 'string' || typeof pair.worker !== 'string')
                fail(file, `pairs[${i}] needs "frontend" (a mode) and "worker" (an environment name, "top-level" or "local").`);
            return pair;
        });
    }
    if (data.failOn !== undefined) {
        if (typeof data.failOn !== 'string' || !FAIL_ON_VALUES.includes(data.failOn))
            fail(file, `"failOn" must be one of ${FAIL_ON_VALUES.join(', ')}.`);
        config.failOn = data.failOn;
    }
    return config;
}
function parseConfigText(text, file) {
    const errors = [];
    const data = (0,main.parse)(text, errors, { allowTrailingComma: true });
    const first = errors[0];
    if (first)
        fail(file, `line ${lineOf(text, first.offset)}: ${(0,main.printParseErrorCode)(first.error)}.`);
    return validateConfig(data, file);
}
/**
 * Loads the config: `explicitPath` (from --config / input `config`) must exist; otherwise
 * `<root>/deploy-guard.config.json` is used when present, else the defaults.
 */
function loadConfig(root, explicitPath, displayPath = explicitPath) {
    const file = explicitPath ? external_node_path_default().resolve(explicitPath) : external_node_path_default().join(root, CONFIG_FILE_NAME);
    let text;
    try {
        text = external_node_fs_default().readFileSync(file, 'utf8');
    }
    catch (error) {
        if (!explicitPath && error.code === 'ENOENT')
            return { ...DEFAULT_CONFIG };
        throw new ConfigurationError(`cannot read the config file ${displayPath ?? file}: ${error.code ?? String(error)}.`);
    }
    return parseConfigText(text, displayPath ?? CONFIG_FILE_NAME);
}

;// CONCATENATED MODULE: ./src/discover.ts
/**
 * Walks the repository once and lists the files deploy-guard reads. I/O lives here and in the
 * reporters only.
 *
 * - Never enters node_modules, .git, build output, or a folder .gitignore excludes.
 * - Env files (.env*, .dev.vars*) ARE listed even when git-ignored: they are exactly the local
 *   values `vite dev` and `wrangler dev` run with, and they are meant to be ignored.
 * - Symlinks are followed only when their target stays inside the root, and a folder already seen
 *   (by real path) is never entered twice, so a loop ends.
 */



/** Folders that never hold configuration worth reading: dependencies, VCS data, build output. */
const NEVER_ENTER = new Set([
    'node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', '.next', '.nuxt', '.output',
    '.svelte-kit', '.vercel', '.netlify', '.turbo', '.cache', 'coverage', '.wrangler', '.yarn',
    '.pnpm-store', '.parcel-cache', '.astro', '.expo', '.angular', 'bower_components', 'jspm_packages',
]);
const WRANGLER_CONFIG_NAMES = new Set(['wrangler.json', 'wrangler.jsonc', 'wrangler.toml']);
function classifyFileName(name) {
    if (WRANGLER_CONFIG_NAMES.has(name))
        return 'wrangler-config';
    if (name === '.dev.vars' || name.startsWith('.dev.vars.'))
        return 'dev-vars';
    if (name === '.env' || name.startsWith('.env.'))
        return 'env-file';
    if (name === 'package.json')
        return 'package-json';
    return undefined;
}
function toPosix(p) {
    return p.split(path.sep).join('/');
}
function readGitignore(absDir) {
    const file = external_node_path_default().join(absDir, '.gitignore');
    try {
        const text = external_node_fs_default().readFileSync(file, 'utf8');
        return ignore_default()().add(text);
    }
    catch {
        return undefined;
    }
}
function isIgnored(scopes, relPath, isDir) {
    for (const scope of scopes) {
        const inside = scope.dir === '' ? relPath : relPath.slice(scope.dir.length + 1);
        if (inside === '' || inside.startsWith('..'))
            continue;
        if (scope.rules.ignores(isDir ? `${inside}/` : inside))
            return true;
    }
    return false;
}
function isInside(root, target) {
    const rel = external_node_path_default().relative(root, target);
    return rel === '' || (!rel.startsWith('..') && !external_node_path_default().isAbsolute(rel));
}
/** Walks `root` (absolute). Iterative, so a deep tree cannot overflow the stack. */
function discover(root, extraIgnores = ignore_default()()) {
    const realRoot = external_node_fs_default().realpathSync(root);
    const files = [];
    const skipped = [];
    const seenDirs = new Set([realRoot]);
    const stack = [{ abs: realRoot, rel: '', scopes: [] }];
    while (stack.length > 0) {
        const { abs, rel, scopes: parentScopes } = stack.pop();
        let entries;
        try {
            entries = external_node_fs_default().readdirSync(abs, { withFileTypes: true });
        }
        catch (error) {
            skipped.push({ path: rel || '.', reason: `cannot be listed (${error.code ?? 'error'})` });
            continue;
        }
        const own = readGitignore(abs);
        const scopes = own ? [...parentScopes, { dir: rel, rules: own }] : parentScopes;
        const childDirs = [];
        for (const entry of entries) {
            const childAbs = external_node_path_default().join(abs, entry.name);
            const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
            let isDir = entry.isDirectory();
            let isFile = entry.isFile();
            if (entry.isSymbolicLink()) {
                let target;
                try {
                    target = external_node_fs_default().realpathSync(childAbs);
                }
                catch {
                    skipped.push({ path: childRel, reason: 'is a broken symbolic link' });
                    continue;
                }
                if (!isInside(realRoot, target)) {
                    skipped.push({ path: childRel, reason: 'is a symbolic link to a place outside the repository' });
                    continue;
                }
                const stat = external_node_fs_default().statSync(target);
                isDir = stat.isDirectory();
                isFile = stat.isFile();
            }
            if (isDir) {
                if (NEVER_ENTER.has(entry.name))
                    continue;
                if (isIgnored(scopes, childRel, true) || extraIgnores.ignores(`${childRel}/`))
                    continue;
                childDirs.push({ abs: childAbs, rel: childRel });
                continue;
            }
            const kind = classifyFileName(entry.name);
            if (!kind)
                continue;
            if (!isFile) {
                skipped.push({ path: childRel, reason: 'has a configuration file name but is not a regular file' });
                continue;
            }
            if (extraIgnores.ignores(childRel))
                continue;
            const gitignored = isIgnored(scopes, childRel, false);
            // Env files are read even when git-ignored (they are local values); other kinds are not.
            if (gitignored && kind !== 'env-file' && kind !== 'dev-vars')
                continue;
            files.push({ path: childRel, kind, gitignored });
        }
        // Files the Supabase CLI and build tools write inside folders we otherwise skip.
        for (const special of [
            { rel: 'supabase/.temp/project-ref', kind: 'project-ref' },
            { rel: '.wrangler/deploy/config.json', kind: 'deploy-redirect' },
        ]) {
            const candidate = external_node_path_default().join(abs, ...special.rel.split('/'));
            if (fileExistsInside(realRoot, candidate)) {
                files.push({ path: rel === '' ? special.rel : `${rel}/${special.rel}`, kind: special.kind, gitignored: true });
            }
        }
        // Push in reverse so folders are visited in name order (deterministic output).
        for (const dir of childDirs.sort((a, b) => (a.rel < b.rel ? 1 : -1))) {
            let real;
            try {
                real = external_node_fs_default().realpathSync(dir.abs);
            }
            catch {
                continue;
            }
            if (seenDirs.has(real)) {
                skipped.push({ path: dir.rel, reason: 'was already visited through another path (symbolic link loop or alias)' });
                continue;
            }
            seenDirs.add(real);
            stack.push({ abs: dir.abs, rel: dir.rel, scopes });
        }
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { root: realRoot, files, skipped };
}
function fileExistsInside(realRoot, candidate) {
    try {
        const real = external_node_fs_default().realpathSync(candidate);
        return isInside(realRoot, real) && external_node_fs_default().statSync(real).isFile();
    }
    catch {
        return false;
    }
}


;// CONCATENATED MODULE: ./src/read/positions.ts
class LineIndex {
    #starts;
    constructor(text) {
        const starts = [0];
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
            starts.push(i + 1);
        this.#starts = starts;
    }
    position(offset) {
        const starts = this.#starts;
        let low = 0;
        let high = starts.length - 1;
        while (low < high) {
            const mid = (low + high + 1) >> 1;
            if (starts[mid] <= offset)
                low = mid;
            else
                high = mid - 1;
        }
        return { line: low + 1, column: offset - starts[low] + 1 };
    }
}
function pathKey(path) {
    return JSON.stringify(path);
}
/** Positions of keys and values by path; a path's ancestors get the first position seen under them. */
class PositionTable {
    #keys = new Map();
    #values = new Map();
    key(path, offset) {
        for (let length = 1; length < path.length; length++) {
            const k = pathKey(path.slice(0, length));
            if (!this.#keys.has(k))
                this.#keys.set(k, offset);
        }
        // An explicit key wins over a position inherited from a descendant.
        this.#keys.set(pathKey(path), offset);
    }
    value(path, offset) {
        this.#values.set(pathKey(path), offset);
    }
    keyOffset(path) {
        for (let length = path.length; length > 0; length--) {
            const found = this.#keys.get(pathKey(path.slice(0, length)));
            if (found !== undefined)
                return found;
        }
        return undefined;
    }
    valueOffset(path) {
        return this.#values.get(pathKey(path));
    }
}

;// CONCATENATED MODULE: ./src/read/env-file.ts

// dotenv 17 lib/main.js LINE (same semantics; kept here so positions come with each match).
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;
const EXPORT_PREFIX = /^\s*(?:export\s+)?/;
function unquote(raw) {
    let value = raw.trim();
    const quote = value[0];
    const quoted = quote === '"' || quote === "'" || quote === '`';
    // Same as dotenv: strip one pair of matching surrounding quotes.
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, '$2');
    if (quote === '"')
        value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    if (quoted && (raw.trim().length < 2 || raw.trim().at(-1) !== quote)) {
        return { value, problem: `the value opens a ${quote} quote that is never closed, so dotenv keeps the quote and reads the rest of the line literally` };
    }
    return { value };
}
function readEnvFile(text, file) {
    const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const lines = new LineIndex(source);
    const entries = [];
    const problems = [];
    let covered = 0;
    const reportUncovered = (from, to) => {
        let start = from;
        while (start < to) {
            const newline = source.indexOf('\n', start);
            const end = newline === -1 || newline > to ? to : newline;
            const content = source.slice(start, end).trim();
            if (content !== '' && !content.startsWith('#')) {
                const { line } = lines.position(start);
                problems.push({ message: `line ${line} is not a NAME=value line, so dotenv ignores it`, line, column: 1 });
            }
            start = end + 1;
        }
    };
    LINE.lastIndex = 0;
    for (let match = LINE.exec(source); match !== null; match = LINE.exec(source)) {
        const name = match[1];
        const prefix = EXPORT_PREFIX.exec(match[0])[0];
        const nameOffset = match.index + (match[0].startsWith(name, prefix.length) ? prefix.length : /^\s*/.exec(match[0])[0].length);
        reportUncovered(covered, nameOffset);
        covered = match.index + match[0].length;
        const { value, problem } = unquote(match[2] ?? '');
        const position = lines.position(nameOffset);
        entries.push({ name, value, line: position.line, column: position.column });
        if (problem)
            problems.push({ message: `${name}: ${problem}`, line: position.line, column: position.column });
    }
    reportUncovered(covered, source.length);
    return { file, entries, problems };
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/error.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
function getLineColFromPtr(string, ptr) {
    let lines = string.slice(0, ptr).split(/\r?\n/);
    return [lines.length, lines.pop().length + 1];
}
function makeCodeBlock(string, line, column) {
    let lines = string.split(/\r?\n/);
    let codeblock = '';
    let numberLen = (Math.log10(line + 1) | 0) + 1;
    for (let i = line - 1; i <= line + 1; i++) {
        let l = lines[i - 1];
        if (!l)
            continue;
        codeblock += i.toString().padEnd(numberLen, ' ');
        codeblock += ':  ';
        codeblock += l;
        codeblock += '\n';
        if (i === line) {
            codeblock += ' '.repeat(numberLen + column + 2);
            codeblock += '^\n';
        }
    }
    return codeblock;
}
class TomlError extends Error {
    line;
    column;
    codeblock;
    constructor(message, options) {
        const [line, column] = getLineColFromPtr(options.toml, options.ptr);
        const codeblock = makeCodeBlock(options.toml, line, column);
        super(`Invalid TOML document: ${message}\n\n${codeblock}`, options);
        this.line = line;
        this.column = column;
        this.codeblock = codeblock;
    }
    /** @internal */
    static x(message, ctx, ptr) {
        throw new TomlError(message, { toml: ctx.s, ptr: ptr ?? ctx.p });
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/primitive.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function parseString(ctx) {
    let startPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p++);
    let first = c;
    let isLiteral = c === 0x27; /* ' */
    let isMultiline = c === ctx.s.charCodeAt(ctx.p) && c === ctx.s.charCodeAt(ctx.p + 1);
    if (isMultiline) {
        // Trim initial newline
        if ((c = ctx.s.charCodeAt(ctx.p += 2)) === 0xa /* \n */)
            ctx.p++;
        else if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)
            ctx.p += 2;
    }
    // For the record: it is not worth it to use a fast-path for literal strings using `indexOf`.
    // Doing a char-by-char iteration ends up dispatching less instructions, for the same wall-clock runtime.
    let parsed = '';
    let sliceStart = ctx.p;
    // states:
    //   0 - decoding
    //   1 - decoding escape
    //   2 - whitespace escape (no newline encountered yet, must fail on non-whitespace)
    //   3 - whitespace escape (newline encountered, allowed to transition back to normal decode)
    let state = 0;
    for (; ctx.p < ctx.s.length; ctx.p++) {
        c = ctx.s.charCodeAt(ctx.p);
        // Deal with newlines first, since that simplifies control character checking and handling across all states
        if (isMultiline && (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */))) {
            state = state && 3;
        }
        // Control characters are banned in TOML, so we throw an error if we encounter them
        else if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in strings', ctx);
        }
        // The string might terminate while we're parsing through a newline escape.
        // It must have encountered a newline; otherwise, it'll simply fail in another branch.
        else if ((!state || state === 3) && c === first && (!isMultiline || (ctx.s.charCodeAt(ctx.p + 1) === first && ctx.s.charCodeAt(ctx.p + 2) === first))) {
            if (isMultiline) {
                // If the string ends with 4-5 quotes, then the first 1-2 are part of the string
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
                if (ctx.s.charCodeAt(ctx.p + 3) === first)
                    ctx.p++;
            }
            // If we're in a newline escape still, then there's nothing to add.
            if (!state) {
                // Avoid a useless concat operation if the string can be used as-is.
                let s = ctx.s.slice(sliceStart, ctx.p);
                parsed = parsed ? parsed + s : s;
            }
            ctx.p += isMultiline ? 3 : 1;
            return parsed;
        }
        // Baseline state; keep moving forward unless an escape sequence starts
        else if (!state) {
            if (!isLiteral && c === 0x5c /* \ */) {
                parsed += ctx.s.slice(sliceStart, (sliceStart = ctx.p));
                state = 1;
            }
        }
        else if (state === 1) {
            if (c === 0x78 /* x */ || c === 0x75 /* u */ || c === 0x55 /* U */) { // Unicode escape
                let errPtr = ctx.p++ - 1;
                let value = 0;
                let len = c === 0x78 /* x */ ? 2 : c === 0x75 /* u */ ? 4 : 8;
                for (let j = 0; j < len; j++, ctx.p++) {
                    let hex = ctx.s.charCodeAt(ctx.p);
                    let digit = 
                    /* 0-9 */ hex >= 0x30 && hex <= 0x39 ? hex - 0x30 :
                        /* A-F */ hex >= 0x41 && hex <= 0x46 ? hex - 0x41 + 10 :
                            /* a-f */ hex >= 0x61 && hex <= 0x66 ? hex - 0x61 + 10 : -1;
                    if (digit < 0)
                        TomlError.x('invalid non-hex character in unicode escape', ctx);
                    value = (value << 4) | digit;
                }
                // Because JS does bitwise on signed 32bit integers, all 0xfzzzzzzz values are actually seen as negative
                if (value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
                    TomlError.x('invalid unicode escape', ctx, errPtr);
                }
                parsed += String.fromCodePoint(value);
                sliceStart = ctx.p--;
                state = 0;
            }
            // Newline escape sequence. We only need to care about spaces and tabs; newlines are dealt with earlier
            else if (isMultiline && (c === 0x20 || c === 0x9 /* \t */)) {
                state = 2;
            }
            // Basic escape sequence
            else {
                if (c === 0x62 /* b */)
                    parsed += '\b';
                else if (c === 0x74 /* t */)
                    parsed += '\t';
                else if (c === 0x6e /* n */)
                    parsed += '\n';
                else if (c === 0x66 /* f */)
                    parsed += '\f';
                else if (c === 0x72 /* r */)
                    parsed += '\r';
                else if (c === 0x65 /* e */)
                    parsed += '\x1b';
                else if (c === 0x22 /* " */)
                    parsed += '"';
                else if (c === 0x5c /* \ */)
                    parsed += '\\';
                else
                    TomlError.x('unrecognised escape sequence', ctx);
                sliceStart = ctx.p + 1;
                state = 0;
            }
        }
        // Newline escape continuation: keep moving forward until the first non-whitespace char
        else if (c !== 0x20 && c !== 0x9 /* \t */) {
            if (state === 2)
                TomlError.x('invalid escape: only line-ending whitespace may be escaped', ctx, sliceStart);
            // State cannot be zero, or we'd have branched earlier already.
            // If it's a backslash, immediately transition to the escape state so it can be processed.
            state = !isLiteral && c === 0x5c /* \ */ ? 1 : 0;
            sliceStart = ctx.p;
        }
    }
    TomlError.x('unfinished string', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/date.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let DATE_TIME_RE = /^(\d{4}-\d{2}-\d{2})?[Tt ]?(?:(\d{2}):\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|z|[-+]\d{2}:\d{2})?$/i;
class TomlDate extends Date {
    #hasDate = false;
    #hasTime = false;
    #offset = null;
    constructor(date, fasttype, unsafeDelim) {
        let hasDate = true;
        let hasTime = true;
        let offset = 'Z';
        let c;
        if (typeof date === 'string') {
            if (fasttype)
                prep: {
                    // Date-time
                    if (fasttype < 3) {
                        if (+date.slice(11, 13) > 23) {
                            date = '';
                            break prep;
                        }
                        // Local
                        if (fasttype === 2) {
                            offset = null;
                            date += 'Z';
                        }
                        // Offset; keep track of offset if not Z
                        else if ((c = date.charCodeAt(date.length - 1)) !== 0x5a /* Z */ && c !== 0x7a /* z */) {
                            offset = date.slice(date.length - 6);
                        }
                        if (unsafeDelim)
                            date = date.slice(0, 10) + 'T' + date.slice(11);
                    }
                    // Time
                    else if (fasttype === 4) {
                        date = +date.slice(0, 2) > 23 ? '' : `0000-01-01T${date}Z`;
                    }
                    hasDate = fasttype !== 4;
                    hasTime = fasttype !== 3;
                }
            else {
                let match = date.match(DATE_TIME_RE);
                if (match) {
                    if (!match[1]) {
                        hasDate = false;
                        date = `0000-01-01T${date}`;
                    }
                    hasTime = !!match[2];
                    // Make sure to use T instead of a space. Breaks in case of extreme values otherwise.
                    hasTime && date[10] === ' ' && (date = date.replace(' ', 'T'));
                    // Do not allow rollover hours.
                    if (match[2] && +match[2] > 23) {
                        date = '';
                    }
                    else {
                        offset = match[3] || null;
                        if (!offset && hasTime)
                            date += 'Z';
                    }
                }
                else {
                    date = '';
                }
            }
        }
        super(date);
        if (!isNaN(this.getTime())) {
            this.#hasDate = hasDate;
            this.#hasTime = hasTime;
            this.#offset = offset;
        }
    }
    isDateTime() {
        return this.#hasDate && this.#hasTime;
    }
    isLocal() {
        return !this.#hasDate || !this.#hasTime || !this.#offset;
    }
    isDate() {
        return this.#hasDate && !this.#hasTime;
    }
    isTime() {
        return this.#hasTime && !this.#hasDate;
    }
    isValid() {
        return this.#hasDate || this.#hasTime;
    }
    toISOString() {
        let iso = super.toISOString();
        // Local Date
        if (this.isDate())
            return iso.slice(0, 10);
        // Local Time
        if (this.isTime())
            return iso.slice(11, 23);
        // Local DateTime
        if (this.#offset === null)
            return iso.slice(0, -1);
        // Offset DateTime
        if (this.#offset === 'Z' || this.#offset === 'z')
            return iso;
        // This part is quite annoying: JS strips the original timezone from the ISO string representation
        // Instead of using a "modified" date and "Z", we restore the representation "as authored"
        let offset = (+(this.#offset.slice(1, 3)) * 60) + +(this.#offset.slice(4, 6));
        offset = this.#offset[0] === '-' ? offset : -offset;
        let offsetDate = new Date(this.getTime() - (offset * 60e3));
        return offsetDate.toISOString().slice(0, -1) + this.#offset;
    }
    static wrapAsOffsetDateTime(jsDate, offset = 'Z') {
        let date = new TomlDate(jsDate);
        date.#offset = offset;
        return date;
    }
    static wrapAsLocalDateTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#offset = null;
        return date;
    }
    static wrapAsLocalDate(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasTime = false;
        date.#offset = null;
        return date;
    }
    static wrapAsLocalTime(jsDate) {
        let date = new TomlDate(jsDate);
        date.#hasDate = false;
        date.#offset = null;
        return date;
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/extract.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function isDigit(char, base = 10) {
    return base === 16
        ? (char > 0x2f && char < 0x3a) || (char > 0x40 && char < 0x47) || (char > 0x60 && char < 0x67)
        : (char > 0x2f && char < 0x30 + base);
}
function isEndOfValue(char, delim) {
    // Whitespace -- we're permissive on `\r` for performance; it'll be dealt with later anyway
    return char === 0x20 || char === 0x9 /* \t */ || char === 0xa /* \n */ || char === 0xd /* \r */ ||
        // Structure end or next value delimiter
        (delim && (char === delim || char === 0x2c /* , */)) ||
        // Comment
        char === 0x23; /* # */
}
/** @internal */
function extractValue(ctx, end) {
    let errPtr = ctx.p;
    let c = ctx.s.charCodeAt(ctx.p);
    // Structs
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
        ctx.d-- || TomlError.x('document contains excessively nested structures. aborting.', ctx);
        let value = c === 0x5b /* [ */
            ? parseArray(ctx)
            : parseInlineTable(ctx);
        ctx.d++;
        return value;
    }
    // Strings
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        return parseString(ctx);
    }
    // Booleans
    // We can fast-path because the first character is enough to know the only possible value
    if (c === 0x74 /* t */) { // Only possible valid value is `true`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x72 || ctx.s.charCodeAt(++ctx.p) !== 0x75 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, true;
    }
    if (c === 0x66 /* f */) { // Only possible valid value is `false`
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6c || ctx.s.charCodeAt(++ctx.p) !== 0x73 || ctx.s.charCodeAt(++ctx.p) !== 0x65)
            TomlError.x('invalid value', ctx, errPtr);
        return ctx.p++, false;
    }
    if (c === 0x2b /* + */ || c === 0x2d /* - */) {
        return parseNumber(ctx, ctx.p, ctx.s.charCodeAt(++ctx.p), 0x2c - c, end);
    }
    // Rough heuristic, but `parseDate` falls back to number parsing if it's a false positive.
    // e.g.: `a = 1\n-------------- = 1` would match this heuristic, but gracefully fallback to numbers.
    if (ctx.s.charCodeAt(ctx.p + 4) === 0x2d /* - */ && ctx.s.charCodeAt(ctx.p + 7) === 0x2d /* - */) {
        return parseDate(ctx, c, end);
    }
    // Same logic as above; `parseTime` falls back to number parsing if it's a false positive.
    if (ctx.s.charCodeAt(ctx.p + 2) === 0x3a /* : */) {
        return parseTime(ctx, c, end);
    }
    return parseNumber(ctx, ctx.p, c, 0, end);
}
// State:
// 0: init
// 1: integer
// 2: fractional dot
// 3: fractional
// 4: exponent letter
// 5: exponent
// 6: exponent sign
// 7: exponent with sign
// >9: underscore; see below
//     -> 12: was integer
//     -> 14: was fractional
//     -> 16: was exponent
// states 2-5, 14, 16 are ONLY permitted iif base === 10
function parseNumber(ctx, startPtr, startChr, sign, endChr) {
    let c = startChr;
    let state = 0;
    let hasUnderscores = false;
    // (+/-)inf
    if (c === 0x69 /* i */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x6e || ctx.s.charCodeAt(++ctx.p) !== 0x66)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, (sign || 1) / 0;
    }
    // (+/-)nan
    if (c === 0x6e /* n */) {
        if (ctx.s.charCodeAt(++ctx.p) !== 0x61 || ctx.s.charCodeAt(++ctx.p) !== 0x6e)
            TomlError.x('invalid value', ctx, startPtr);
        return ctx.p++, NaN;
    }
    // Leading zero
    // Only allowed cases: `0<EOV>`, `0.(...)`, `0e(...)`, `0x(...)`, `0b(...)`, `0o(...)`
    // FWIW, `0e(...)` is a stupid case, but it's not banned per-se so we have to parse it
    if (c === 0x30 /* 0 */) {
        if (++ctx.p >= ctx.s.length || isEndOfValue(c = ctx.s.charCodeAt(ctx.p), endChr))
            return ctx.bi === true ? 0n : 0; // note: conveniently deals with `-0`
        if (!sign) {
            if (c === 0x78 /* x */)
                return parseIntegerBaseN(ctx, startPtr, 16, endChr);
            else if (c === 0x62 /* b */)
                return parseIntegerBaseN(ctx, startPtr, 2, endChr);
            else if (c === 0x6f /* o */)
                return parseIntegerBaseN(ctx, startPtr, 8, endChr);
        }
        if (c === 0x2e /* . */)
            state = 2;
        else if (c === 0x65 /* e */ || c === 0x45 /* E */)
            state = 4;
        else
            TomlError.x('illegal leading zero', ctx, startPtr);
    }
    // If the 1st char is not a digit by now, then it's not a valid TOML value at all
    else if (!isDigit(c))
        TomlError.x('invalid value', ctx, startPtr);
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (!state)
            state = 1; // Detects single-digit numbers we can use a fast parse path for
        // The way the states are numbered is not random: underscores are always permitted in odd-numbered states and
        // never permitted in even-numbered ones.
        if (c === 0x5f /* _ */) {
            if (!(state & 1))
                TomlError.x('illegal underscore', ctx);
            state += 11; // 11 is a marker that makes the state even and greater than 9; see the numbering + rationale above
            hasUnderscores = true;
        }
        // Transition to fractional part.
        else if (state === 1 && c === 0x2e /* . */)
            state = 2;
        // Transition to exponent part.
        else if ((state === 1 || state === 3) && (c === 0x65 /* e */ || c === 0x45 /* E */))
            state = 4;
        // + and - are permitted in state 4 only (handled before entering the function for state 0)
        else if (state === 4 && (c === 0x2b /* + */ || c === 0x2d /* - */)) {
            state = 6;
        }
        // All special cases have been handled; only digits are allowed here
        else if (!isDigit(c))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear state flags
        else if (state > 9)
            state -= 11;
        else if (!(state & 1))
            state++;
    }
    // Single-char number; we can fast-path these very easily.
    if (!state) {
        let val = (startChr - 0x30 /* 0 */) * (sign || 1);
        return ctx.bi === true ? BigInt(val) : val;
    }
    // Even-numbered states absolutely require a digit next; not even end of value is permitted
    if (!(state & 1))
        TomlError.x('unfinished numeric value', ctx, startPtr);
    let str = ctx.s.slice(startPtr, ctx.p);
    if (hasUnderscores)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return state > 1
        ? parseFloat(str)
        : parseInteger(ctx, str, 10, startPtr);
}
function parseIntegerBaseN(ctx, startPtr, base, endChr) {
    let c, underscore = 1;
    while (++ctx.p < ctx.s.length && (c = ctx.s.charCodeAt(ctx.p), !isEndOfValue(c, endChr))) {
        if (c === 0x5f /* _ */) {
            if (underscore & 1)
                TomlError.x('illegal underscore', ctx);
            underscore = 3;
        }
        // We only need to check if the number is a valid digit, nothing else is permitted
        else if (!isDigit(c, base))
            TomlError.x(`illegal character in numeric literal`, ctx);
        // Clear underscore flag
        else if (underscore & 1)
            underscore--;
    }
    // Trailing underscore is not allowed
    if (underscore & 1)
        TomlError.x('unfinished numeric value', ctx);
    let str = ctx.s.slice(startPtr + 2, ctx.p);
    if (underscore)
        str = str.replaceAll('_', ''); // perf: replaceAll 1.25x faster than replace with a regex
    return parseInteger(ctx, str, base, startPtr);
}
function parseInteger(ctx, str, base, startPtr) {
    if (ctx.bi !== true)
        int: {
            let val = parseInt(str, base);
            if (!Number.isSafeInteger(val)) {
                if (ctx.bi)
                    break int;
                TomlError.x('integer value cannot be represented losslessly', ctx, startPtr);
            }
            return val;
        }
    return base === 10 ? BigInt(str) : BigInt((base === 2 ? '0b' : base === 8 ? '0o' : '0x') + str);
}
function parseDate(ctx, c, endChr) {
    let startPtr = ctx.p++, unsafeSeparator;
    if (!isDigit(c) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++)) ||
        !isDigit(ctx.s.charCodeAt(ctx.p++))) {
        return parseNumber(ctx, ctx.p = startPtr, c, 0, endChr);
    }
    ctx.p += 5;
    if (!isDigit(ctx.s.charCodeAt(ctx.p++)))
        TomlError.x('invalid date-time: date part is malformed', ctx, startPtr);
    if (ctx.p >= ctx.s.length || (((c = ctx.s.charCodeAt(ctx.p)) !== 0x20 || (unsafeSeparator = true, !isDigit(ctx.s.charCodeAt(ctx.p + 1)))) && c !== 0x54 /* T */ && c !== 0x74 /* t */)) {
        let t = ctx.s.slice(startPtr, ctx.p);
        return readDate(ctx, t, 3, false, startPtr);
    }
    if (ctx.s.charCodeAt(ctx.p += 3) !== 0x3a /* : */)
        TomlError.x('invalid date-time: time part is malformed', ctx, startPtr);
    if (ctx.s.charCodeAt(ctx.p += 3) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    if (c = ctx.s.charCodeAt(ctx.p)) {
        if (c === 0x5a /* Z */ || c === 0x7a /* z */) {
            let t = ctx.s.slice(startPtr, ++ctx.p);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, '[+00:00]');
        }
        if (c === 0x2b /* + */ || c === 0x2d /* - */) {
            // Temporal's ZonedDateTime is weird asf when it comes to dealing with traditional offsets...
            // It's 1.2x faster to allocate a new string to pass to ZDT than use Instant.toZonedDateTimeISO
            let t = ctx.s.slice(startPtr, ctx.p += 6);
            return readDate(ctx, t, 1, unsafeSeparator, startPtr, !ctx.ld && ('[' + ctx.s.slice(ctx.p - 6, ctx.p) + ']'));
        }
    }
    let t = ctx.s.slice(startPtr, ctx.p);
    return readDate(ctx, t, 2, unsafeSeparator, startPtr);
}
function parseTime(ctx, c, endChr) {
    let start = ctx.p;
    if (!isDigit(c) || !isDigit(ctx.s.charCodeAt(++ctx.p))) {
        return parseNumber(ctx, --ctx.p, c, 0, endChr);
    }
    if (ctx.s.charCodeAt(ctx.p += 4) === 0x3a /* : */)
        ctx.p += 3;
    if (ctx.s.charCodeAt(ctx.p) === 0x2e /* . */)
        while (isDigit(ctx.s.charCodeAt(++ctx.p)))
            ;
    let t = ctx.s.slice(start, ctx.p);
    return readDate(ctx, t, 4, false, start);
}
function readDate(ctx, str, type, unsafeDelim, errPtr, temporalSuffix) {
    if (ctx.ld) {
        let date = new TomlDate(str, type, unsafeDelim);
        if (!date.isValid())
            TomlError.x('invalid date', ctx, errPtr);
        return date;
    }
    try {
        if (temporalSuffix)
            str += temporalSuffix;
        switch (type) {
            case 1: return Temporal.ZonedDateTime.from(str);
            case 2: return Temporal.PlainDateTime.from(str);
            case 3: return Temporal.PlainDate.from(str);
            case 4: return Temporal.PlainTime.from(str);
        }
    }
    catch (e) {
        TomlError.x(e instanceof Error ? e.message : '' + e, ctx, errPtr);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/util.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */

/** @internal */
function skipComment(ctx) {
    for (; ctx.p < ctx.s.length; ctx.p++) {
        let c = ctx.s.charCodeAt(ctx.p);
        if (c === 0xa /* \n */)
            break;
        if (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */) {
            ctx.p++;
            break;
        }
        if ((c < 0x20 && c !== 0x9 /* \t */) || c === 0x7f) {
            TomlError.x('control characters are not allowed in comments', ctx);
        }
    }
}
/** @internal */
function skipVoid(ctx, banNewLines, banComments) {
    let c;
    while (ctx.p < ctx.s.length) {
        while (ctx.p < ctx.s.length && ((c = ctx.s.charCodeAt(ctx.p)) === 0x20 ||
            c === 0x9 /* \t */ ||
            (!banNewLines &&
                (c === 0xa /* \n */ || (c === 0xd /* \r */ && ctx.s.charCodeAt(ctx.p + 1) === 0xa /* \n */)))))
            ctx.p++;
        if (banComments || c !== 0x23 /* # */)
            break;
        skipComment(ctx);
    }
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/struct.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




/** @internal */
function parseKey(ctx, end = 0x3d /* = */) {
    // States:
    // 0: before first char
    // 1: parsing bare key
    // 2: after key component
    let startPtr;
    let state = 0;
    let parsed = [];
    let sliceStart;
    let c = ctx.s.charCodeAt(startPtr = ctx.p);
    do {
        // End of key
        if (c === end) {
            if (!state)
                TomlError.x('unexpected end of key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            return ctx.p++, parsed;
        }
        // Dotted key separator
        else if (c === 0x2e /* . */) {
            if (!state)
                TomlError.x('illegal empty bare key', ctx);
            if (state === 1)
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
            state = 0;
        }
        // Quoted key
        else if (!state && (c === 0x22 /* " */ || c === 0x27 /* ' */)) {
            if (c === ctx.s.charCodeAt(ctx.p + 1) && c === ctx.s.charCodeAt(ctx.p + 2))
                TomlError.x('illegal quoted key: multiline strings are not allowed', ctx);
            parsed.push(parseString(ctx));
            state = 2;
            ctx.p--;
        }
        // Whitespace; no-op in state 0 and 2, end of bare key in state 1
        else if (c === 0x20 || c === 0x9 /* \t */) {
            if (state === 1) {
                parsed.push(ctx.s.slice(sliceStart, ctx.p));
                state = 2;
            }
        }
        // If state is post-key, no character is allowed; otherwise ensure it's a bare-key component
        else if (state === 2 || (c < 0x30 && c !== 0x2d /* - */) || (c > 0x39 && c < 0x41) || (c > 0x5a && c < 0x61 && c !== 0x5f /* _ */) || c > 0x7a) {
            TomlError.x('illegal character in key', ctx);
        }
        // Illegal character
        else if (!state) {
            state = 1;
            sliceStart = ctx.p;
        }
    } while (c = ctx.s.charCodeAt(++ctx.p));
    TomlError.x('incomplete key-value: cannot find end of key', ctx, startPtr);
}
/** @internal */
function parseInlineTable(ctx) {
    let startPtr = ctx.p++;
    let res = Object.create(null);
    let seen = new Set();
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x7d /* } */) {
            ctx.p++;
            return res;
        }
        let k;
        let t = res;
        let hasOwn = false;
        let errPtr = ctx.p;
        let key = parseKey(ctx);
        for (let i = 0; i < key.length; i++) {
            if (i)
                t = hasOwn ? t[k] : (t[k] = Object.create(null));
            k = key[i];
            if ((hasOwn = Object.hasOwn(t, k)) && (typeof t[k] !== 'object' || seen.has(t[k]))) {
                TomlError.x('trying to redefine an already defined value', ctx, errPtr);
            }
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor')) {
                t = ctx.uk !== 1 && TomlError.x('document contains an unsafe property', ctx, errPtr);
                break;
            }
            if (!hasOwn && unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
            }
        }
        if (hasOwn) {
            TomlError.x('trying to redefine an already defined value', ctx, errPtr);
        }
        skipVoid(ctx, true, true);
        let value = extractValue(ctx, 0x7d /* } */);
        if (t && typeof (t[k] = value) === 'object')
            seen.add(value);
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x7d /* } */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished table', ctx, startPtr);
}
/** @internal */
function parseArray(ctx) {
    let startPtr = ctx.p++;
    let res = [];
    let c;
    while (ctx.p < ctx.s.length) {
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p)) === 0x5d /* ] */) {
            ctx.p++;
            return res;
        }
        res.push(extractValue(ctx, 0x5d /* ] */));
        skipVoid(ctx);
        if ((c = ctx.s.charCodeAt(ctx.p++)) === 0x5d /* ] */) {
            return res;
        }
        if (c !== 0x2c /* , */)
            TomlError.x('expected comma or end of structure', ctx, ctx.p - 1);
    }
    TomlError.x('unfinished array', ctx, startPtr);
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/parse.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */




function peekTable(ctx, key, table, meta, type) {
    let t = table;
    let m = meta;
    let k;
    let hasOwn = false;
    let state;
    for (let i = 0; i < key.length; i++) {
        if (i) {
            t = hasOwn ? t[k] : (t[k] = Object.create(null));
            m = (state = m[k]).c;
            if (type === 0 /* Type.DOTTED */ && (state.t === 1 /* Type.EXPLICIT */ || state.t === 2 /* Type.ARRAY */)) {
                return null;
            }
            if (state.t === 2 /* Type.ARRAY */) {
                let l = t.length - 1;
                t = t[l];
                m = m[l].c;
            }
        }
        k = key[i];
        if ((hasOwn = Object.hasOwn(t, k)) && m[k]?.t === 0 /* Type.DOTTED */ && m[k]?.d) {
            return null;
        }
        if (!hasOwn) {
            let unsafe = k === '__proto__';
            if (ctx.uk && (unsafe || k === 'constructor'))
                return false;
            if (unsafe) {
                Object.defineProperty(t, k, { enumerable: true, configurable: true, writable: true });
                Object.defineProperty(m, k, { enumerable: true, configurable: true, writable: true });
            }
            m[k] = {
                t: i < key.length - 1 && type === 2 /* Type.ARRAY */
                    ? 3 /* Type.ARRAY_DOTTED */ : type,
                d: false,
                i: 0,
                c: Object.create(null),
            };
        }
    }
    state = m[k];
    if (state.t !== type && !(type === 1 /* Type.EXPLICIT */ && state.t === 3 /* Type.ARRAY_DOTTED */)) {
        // Bad key type!
        return null;
    }
    if (type === 2 /* Type.ARRAY */) {
        if (!state.d) {
            state.d = true;
            t[k] = [];
        }
        t[k].push(t = Object.create(null));
        state.c[state.i++] = (state = { t: 1 /* Type.EXPLICIT */, d: false, i: 0, c: Object.create(null) });
    }
    if (state.d) {
        // Redefining a table!
        return null;
    }
    state.d = true;
    if (type === 1 /* Type.EXPLICIT */) {
        t = hasOwn ? t[k] : (t[k] = Object.create(null));
    }
    else if (type === 0 /* Type.DOTTED */ && hasOwn) {
        return null;
    }
    return [k, t, state.c];
}
function validateTablePeek(ctx, peek, ptr) {
    if (peek === null || ctx.uk === 2)
        TomlError.x(peek === null
            ? 'trying to redefine an already defined table or value'
            : 'document contains an unsafe property', ctx, ptr);
}
function parse(toml, options = {}) {
    let ctx = {
        s: toml,
        p: 0,
        d: options.maxDepth ?? 1000,
        bi: options.integersAsBigInt ?? false,
        ld: options.useLegacyDate ?? true,
        uk: options.unsafeKeyBehaviour === 'throw' ? 2 : options.unsafeKeyBehaviour === 'drop' ? 1 : 0,
    };
    let res = Object.create(null);
    let meta = Object.create(null);
    let tmp;
    let skipping = false;
    let tbl = res;
    let m = meta;
    // BOM is allowed, skip.
    // JS is UTF-16, so we have to check for the UTF-16 BOM instead of the UTF-8 BOM sequence!
    if (toml.charCodeAt(0) === 0xfeff)
        ctx.p++;
    skipVoid(ctx);
    while (ctx.p < toml.length) {
        if (toml.charCodeAt(ctx.p) === 0x5b /* [ */) {
            let isTableArray = toml.charCodeAt(++ctx.p) === 0x5b; /* [ */
            tmp = ctx.p += +isTableArray;
            skipping = false;
            let k = parseKey(ctx, 0x5d /* ] */);
            if (isTableArray) {
                if (toml.charCodeAt(ctx.p) !== 0x5d /* ] */) {
                    TomlError.x('expected end of table array declaration', ctx);
                }
                ctx.p++;
            }
            let p = peekTable(ctx, k, res, meta, isTableArray ? 2 /* Type.ARRAY */ : 1 /* Type.EXPLICIT */);
            if (!p) {
                validateTablePeek(ctx, p, tmp);
                skipping = true;
            }
            else {
                m = p[2];
                tbl = p[1];
            }
        }
        else {
            tmp = ctx.p;
            let k = parseKey(ctx);
            let p = peekTable(ctx, k, tbl, m, 0 /* Type.DOTTED */);
            if (!p && !skipping)
                validateTablePeek(ctx, p, tmp);
            skipVoid(ctx, true, true);
            let v = extractValue(ctx, void 0);
            if (p && !skipping)
                p[1][p[0]] = v;
        }
        skipVoid(ctx, true);
        if (ctx.p < toml.length && (tmp = toml.charCodeAt(ctx.p)) !== 0xa /* \n */ && (tmp !== 0xd /* \r */ || toml.charCodeAt(ctx.p + 1) !== 0xa /* \n */)) {
            TomlError.x('each key-value declaration must be followed by an end-of-line', ctx);
        }
        skipVoid(ctx);
    }
    return res;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/stringify.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */
let BARE_KEY = /^[a-z0-9-_]+$/i;
let HAS_WELLFORMED = !!(''.isWellFormed);
function extendedTypeOf(obj) {
    let type = typeof obj;
    if (type === 'object') {
        if (Array.isArray(obj))
            return 'array';
        if (typeof obj.getUTCDate === 'function' && obj instanceof Date)
            return 'date';
        if (globalThis.Temporal) {
            if (obj.until) {
                if (obj instanceof Temporal.ZonedDateTime)
                    return 'temporal/tz+uc';
                if (obj instanceof Temporal.PlainDateTime || obj instanceof Temporal.PlainDate)
                    return 'temporal/uc';
                if (obj instanceof Temporal.PlainTime || obj instanceof Temporal.Instant)
                    return 'temporal';
                if (obj instanceof Temporal.PlainYearMonth)
                    return 'temporal/x';
            }
            else if ((obj.toPlainDate && obj instanceof Temporal.PlainMonthDay) ||
                (obj.negated && obj instanceof Temporal.Duration)) {
                return 'temporal/x';
            }
        }
    }
    return type;
}
function isArrayOfTables(obj) {
    for (let i = 0; i < obj.length; i++) {
        if (extendedTypeOf(obj[i]) !== 'object')
            return false;
    }
    return obj.length != 0;
}
function formatWellFormedStringUnchecked(s) {
    return JSON.stringify(s).replaceAll('\x7f', '\\u007f');
}
function formatString(s) {
    return formatWellFormedStringUnchecked(HAS_WELLFORMED ? s.toWellFormed() : s);
}
function formatKey(s) {
    if (BARE_KEY.test(s))
        return s;
    if (HAS_WELLFORMED && !s.isWellFormed())
        throw new RangeError('key contains illegal lone surrogates');
    return formatWellFormedStringUnchecked(s);
}
function stringifyValue(val, type, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    switch (type) {
        // @ts-expect-error -- intentional fallthrough case
        case 'number':
            if (isNaN(val))
                return 'nan';
            if (val === Infinity)
                return 'inf';
            if (val === -Infinity)
                return '-inf';
            if (Number.isInteger(val) && (numberAsFloat || !Number.isSafeInteger(val)))
                return val.toFixed(1);
        case 'bigint':
        case 'boolean':
        case 'temporal':
            return val.toString();
        case 'string':
            return formatString(val);
        case 'date':
            if (isNaN(val.getTime()))
                throw new TypeError('cannot serialize invalid date');
            return val.toISOString();
        case 'object':
            return stringifyInlineTable(val, depth, numberAsFloat, strictTemporal);
        case 'array':
            return stringifyArray(val, depth, numberAsFloat, strictTemporal);
        // @ts-expect-error -- intentional fallthrough case
        case 'temporal/tz+uc':
            if (strictTemporal) {
                let tz = val.timeZoneId;
                let tzc = tz.charCodeAt(0);
                if (
                // Classic offset
                tzc !== 0x2b /* + */ && tzc !== 0x2d /* - */ &&
                    (
                    // Fast pre-check pass; see below for the actually accepted values
                    (tzc !== 0x55 /* U */ && tzc !== 0x47 /* G */ && tzc !== 0x5a /* Z */ && tzc !== 0x45 /* E */) ||
                        (
                        // UTC and its aliases; Temporal implementations don't all canonicalise unfortunately
                        tz !== 'UTC' && tz !== 'UCT' && tz !== 'Universal' && tz !== 'Zulu' &&
                            // GMT is a TZ but it's for all intents and purposes equivalent to UTC. Safe to downgrade.
                            !tz.startsWith('GMT') && tz !== 'Greenwich' &&
                            // Etc/* are all safe to downgrade to offset (either UTC, GMT, or offset)
                            !tz.startsWith('Etc/')))) {
                    throw new TypeError('Temporal objects with an IANA timezone are not allowed in Temporal strict mode');
                }
            }
        case 'temporal/uc':
            if (strictTemporal && val.calendarId !== 'iso8601')
                throw new TypeError('Temporal objects with a non-default calendar are not allowed in Temporal strict mode');
            return val.toString({
                calendarName: 'never',
                timeZoneName: 'never',
            });
        case 'temporal/x':
            throw new TypeError('Unsupported ' + val[Symbol.toStringTag]);
    }
}
function stringifyInlineTable(obj, depth, numberAsFloat, strictTemporal) {
    let keys = Object.keys(obj);
    if (keys.length === 0)
        return '{}';
    let res = '{ ';
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (i)
            res += ', ';
        res += formatKey(k) + ' = ' + stringifyValue(obj[k], extendedTypeOf(obj[k]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' }';
}
function stringifyArray(array, depth, numberAsFloat, strictTemporal) {
    if (array.length === 0)
        return '[]';
    let res = '[ ';
    for (let i = 0; i < array.length; i++) {
        if (i)
            res += ', ';
        if (array[i] === null || array[i] === void 0) {
            throw new TypeError('arrays cannot contain null or undefined values');
        }
        res += stringifyValue(array[i], extendedTypeOf(array[i]), depth - 1, numberAsFloat, strictTemporal);
    }
    return res + ' ]';
}
function stringifyArrayTable(array, key, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let res = '';
    for (let i = 0; i < array.length; i++) {
        res += `${res && '\n'}[[${key}]]\n`;
        res += stringifyTable(0, array[i], key, depth, numberAsFloat, strictTemporal);
    }
    return res;
}
function stringifyTable(tableKey, obj, prefix, depth, numberAsFloat, strictTemporal) {
    if (depth === 0) {
        throw new Error('Could not stringify the object: maximum object depth exceeded');
    }
    let preamble = '';
    let tables = '';
    let keys = Object.keys(obj);
    for (let i = 0; i < keys.length; i++) {
        let k = keys[i];
        if (obj[k] !== null && obj[k] !== void 0) {
            let type = extendedTypeOf(obj[k]);
            if (type === 'symbol' || type === 'function') {
                throw new TypeError(`cannot serialize values of type '${type}'`);
            }
            let key = formatKey(k);
            if (type === 'array' && isArrayOfTables(obj[k])) {
                tables += (tables && '\n') + stringifyArrayTable(obj[k], prefix ? `${prefix}.${key}` : key, depth - 1, numberAsFloat, strictTemporal);
            }
            else if (type === 'object') {
                let tblKey = prefix ? `${prefix}.${key}` : key;
                tables += (tables && '\n') + stringifyTable(tblKey, obj[k], tblKey, depth - 1, numberAsFloat, strictTemporal);
            }
            else {
                preamble += key;
                preamble += ' = ';
                preamble += stringifyValue(obj[k], type, depth, numberAsFloat, strictTemporal);
                preamble += '\n';
            }
        }
    }
    if (tableKey && (preamble || !tables)) // Create table only if necessary
        preamble = preamble ? `[${tableKey}]\n${preamble}` : `[${tableKey}]`;
    return preamble && tables
        ? `${preamble}\n${tables}`
        : preamble || tables;
}
function stringify(obj, { maxDepth = 1000, numbersAsFloat = false, strictTemporal = false } = {}) {
    if (extendedTypeOf(obj) !== 'object') {
        throw new TypeError('stringify can only be called with an object');
    }
    let str = stringifyTable(0, obj, '', maxDepth, numbersAsFloat, strictTemporal);
    if (str[str.length - 1] !== '\n')
        return str + '\n';
    return str;
}

;// CONCATENATED MODULE: ./node_modules/smol-toml/dist/index.js
/*!
 * Copyright (c) Squirrel Chat et al., All rights reserved.
 * SPDX-License-Identifier: BSD-3-Clause
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions are met:
 *
 * 1. Redistributions of source code must retain the above copyright notice, this
 *    list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright notice,
 *    this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 * 3. Neither the name of the copyright holder nor the names of its contributors
 *    may be used to endorse or promote products derived from this software without
 *    specific prior written permission.
 *
 * THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND
 * ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
 * WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
 * DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
 * FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
 * DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
 * SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
 * CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
 * OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
 * OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 */





/** @deprecated use `import * as ... from 'smol-toml'` instead */
/* harmony default export */ const dist = ({ parse: parse, stringify: stringify, TomlDate: TomlDate, TomlError: TomlError });

;// CONCATENATED MODULE: ./src/read/toml.ts
/**
 * wrangler.toml, parsed with smol-toml (the parser wrangler 4 bundles), plus a locator: smol-toml
 * gives no positions, so after a successful parse a small scanner walks the same text and records
 * where each key path was written (table headers, [[array tables]] by occurrence, dotted and
 * quoted keys, inline tables and arrays across lines). The scanner runs only on text smol-toml
 * accepted, never recurses, and never throws (a failure only loses positions).
 */


/** smol-toml's own limit would throw past this; we report it as a parse error instead. */
const MAX_DEPTH = 1000;
function plain(value) {
    // Dates become ISO strings so the data is plain JSON (iterative: nesting can be deep).
    const root = { v: value };
    const stack = [root];
    while (stack.length > 0) {
        const node = stack.pop();
        for (const key of Object.keys(node)) {
            const child = node[key];
            if (child instanceof Date)
                node[key] = Number.isNaN(child.getTime()) ? String(child) : child.toISOString();
            else if (typeof child === 'object' && child !== null)
                stack.push(child);
        }
    }
    return root.v;
}
function readToml(text, file) {
    const source = text.replace(/^\uFEFF/, '');
    let data;
    try {
        data = plain(parse(source, { maxDepth: MAX_DEPTH }));
    }
    catch (error) {
        if (error instanceof TomlError) {
            const message = error.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? 'invalid TOML';
            return { ok: false, error: { message: `invalid TOML: ${message}`, line: error.line, column: error.column } };
        }
        if (error instanceof RangeError)
            return { ok: false, error: { message: 'invalid TOML: nesting too deep to read', line: 1, column: 1 } };
        return { ok: false, error: { message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}`, line: 1, column: 1 } };
    }
    const lines = new LineIndex(source);
    const table = new PositionTable();
    try {
        scanToml(source, table);
    }
    catch {
        // Positions are best effort; the data is still right.
    }
    return { ok: true, doc: makeDocument(file, 'toml', data, table, lines) };
}
function makeDocument(file, format, data, table, lines) {
    return {
        file,
        format,
        data,
        locate(path) {
            const offset = table.keyOffset(path);
            return offset === undefined ? { line: 1, column: 1 } : lines.position(offset);
        },
        locateValue(path) {
            const offset = table.valueOffset(path);
            return offset === undefined ? undefined : lines.position(offset);
        },
    };
}
const toml_BARE_KEY = /[A-Za-z0-9_-]/;
class Scanner {
    s;
    pos = 0;
    constructor(s) {
        this.s = s;
    }
    get done() {
        return this.pos >= this.s.length;
    }
    peek(offset = 0) {
        return this.s[this.pos + offset] ?? '';
    }
    /** Skips spaces and tabs (and newlines and comments when `lines`). */
    skip(lines) {
        while (!this.done) {
            const c = this.peek();
            if (c === ' ' || c === '\t' || (lines && (c === '\n' || c === '\r')))
                this.pos++;
            else if (c === '#' && lines)
                this.skipComment();
            else if (c === '#')
                return;
            else
                return;
        }
    }
    skipComment() {
        const end = this.s.indexOf('\n', this.pos);
        this.pos = end === -1 ? this.s.length : end;
    }
    /** Reads a string token starting at a quote; returns its decoded-enough value (for keys). */
    string() {
        const s = this.s;
        const quote = s[this.pos];
        const triple = s.startsWith(quote.repeat(3), this.pos);
        if (triple) {
            let end = s.indexOf(quote.repeat(3), this.pos + 3);
            if (end === -1)
                end = s.length;
            // A closing run may hold up to two extra quotes that belong to the content.
            while (s[end + 3] === quote)
                end++;
            const value = s.slice(this.pos + 3, end);
            this.pos = end + 3;
            return value;
        }
        let i = this.pos + 1;
        let value = '';
        while (i < s.length && s[i] !== quote && s[i] !== '\n') {
            if (quote === '"' && s[i] === '\\') {
                const next = s[i + 1];
                value += next === 'n' ? '\n' : next === 't' ? '\t' : next ?? '';
                i += 2;
                continue;
            }
            value += s[i];
            i++;
        }
        this.pos = i + 1;
        return value;
    }
    /** A dotted key: bare or quoted segments separated by dots. */
    key() {
        const segments = [];
        for (;;) {
            this.skip(false);
            const c = this.peek();
            if (c === '"' || c === "'")
                segments.push(this.string());
            else {
                const start = this.pos;
                while (!this.done && toml_BARE_KEY.test(this.peek()))
                    this.pos++;
                if (this.pos === start)
                    break;
                segments.push(this.s.slice(start, this.pos));
            }
            this.skip(false);
            if (this.peek() !== '.')
                break;
            this.pos++;
        }
        return segments;
    }
}
function scanToml(source, table) {
    const sc = new Scanner(source);
    let current = [];
    const arrayTableCounts = new Map();
    /** Resolves a header's key path, inserting the current index of each enclosing array table. */
    const resolve = (segments) => {
        const resolved = [];
        for (const segment of segments) {
            resolved.push(segment);
            const count = arrayTableCounts.get(pathKey(resolved));
            if (count !== undefined)
                resolved.push(count - 1);
        }
        return resolved;
    };
    while (!sc.done) {
        sc.skip(true);
        if (sc.done)
            break;
        const start = sc.pos;
        if (sc.peek() === '[') {
            const isArrayTable = sc.peek(1) === '[';
            sc.pos += isArrayTable ? 2 : 1;
            const segments = sc.key();
            if (isArrayTable) {
                const parent = resolve(segments.slice(0, -1));
                const own = [...parent, segments.at(-1) ?? ''];
                const count = (arrayTableCounts.get(pathKey(own)) ?? 0) + 1;
                arrayTableCounts.set(pathKey(own), count);
                current = [...own, count - 1];
            }
            else {
                current = resolve(segments);
            }
            table.key(current, start);
            sc.skipComment();
            continue;
        }
        const keyStart = sc.pos;
        const segments = sc.key();
        if (segments.length === 0) {
            sc.skipComment();
            sc.pos++;
            continue;
        }
        const path = [...current, ...segments];
        table.key(path, keyStart);
        sc.skip(false);
        if (sc.peek() === '=')
            sc.pos++;
        scanValue(sc, path, table);
        sc.skipComment();
    }
}
/** Records positions inside one value (arrays and inline tables), iteratively. */
function scanValue(sc, path, table) {
    sc.skip(false);
    const stack = [];
    let pendingPath = path;
    for (;;) {
        if (pendingPath) {
            sc.skip(stack.length > 0 && stack.at(-1).kind === 'array');
            table.value(pendingPath, sc.pos);
            const c = sc.peek();
            if (c === '[') {
                sc.pos++;
                stack.push({ kind: 'array', path: pendingPath, index: 0 });
            }
            else if (c === '{') {
                sc.pos++;
                stack.push({ kind: 'table', path: pendingPath });
            }
            else if (c === '"' || c === "'") {
                sc.string();
            }
            else {
                while (!sc.done && !',]}\n#'.includes(sc.peek()))
                    sc.pos++;
            }
            pendingPath = undefined;
        }
        const frame = stack.at(-1);
        if (!frame)
            return;
        sc.skip(true);
        if (sc.done)
            return;
        const c = sc.peek();
        if (c === ',') {
            sc.pos++;
            continue;
        }
        if ((frame.kind === 'array' && c === ']') || (frame.kind === 'table' && c === '}')) {
            sc.pos++;
            stack.pop();
            if (stack.length === 0)
                return;
            continue;
        }
        if (frame.kind === 'array') {
            const elementPath = [...frame.path, frame.index];
            frame.index++;
            table.key(elementPath, sc.pos);
            pendingPath = elementPath;
        }
        else {
            const keyStart = sc.pos;
            const segments = sc.key();
            if (segments.length === 0)
                return;
            const keyPath = [...frame.path, ...segments];
            table.key(keyPath, keyStart);
            sc.skip(false);
            if (sc.peek() === '=')
                sc.pos++;
            pendingPath = keyPath;
        }
    }
}

;// CONCATENATED MODULE: ./src/read/jsonc.ts
/**
 * wrangler.json / wrangler.jsonc (wrangler accepts comments and trailing commas in both) with
 * jsonc-parser, keeping the position of every property and array element.
 */



const MESSAGES = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes was expected',
    ValueExpected: 'a value was expected',
    ColonExpected: 'a colon was expected',
    CommaExpected: 'a comma was expected',
    CloseBraceExpected: 'a closing } was expected',
    CloseBracketExpected: 'a closing ] was expected',
    EndOfFileExpected: 'nothing more was expected after the value',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'a comment is not closed',
    UnexpectedEndOfString: 'a string is not closed',
    UnexpectedEndOfNumber: 'a number is cut off',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
};
/** Builds the value and the positions in one iterative walk (nesting depth is the user's). */
function walk(root, table) {
    const holder = {};
    const stack = [
        { node: root, path: [], assign: (v) => (holder.value = v) },
    ];
    while (stack.length > 0) {
        const { node, path, assign } = stack.pop();
        table.value(path, node.offset);
        if (node.type === 'object') {
            const obj = {};
            assign(obj);
            // Pushed last-first so they are taken first-first: with a duplicate key the last one wins, as in JSON.parse.
            for (const property of [...(node.children ?? [])].reverse()) {
                const [keyNode, valueNode] = property.children ?? [];
                if (!keyNode || typeof keyNode.value !== 'string')
                    continue;
                const key = keyNode.value;
                const childPath = [...path, key];
                if (valueNode)
                    stack.push({ node: valueNode, path: childPath, assign: (v) => { obj[key] = v; table.key(childPath, keyNode.offset); } });
            }
        }
        else if (node.type === 'array') {
            const arr = [];
            assign(arr);
            const children = node.children ?? [];
            for (let index = children.length - 1; index >= 0; index--) {
                const child = children[index];
                const childPath = [...path, index];
                table.key(childPath, child.offset);
                stack.push({ node: child, path: childPath, assign: (v) => (arr[index] = v) });
            }
        }
        else {
            assign(node.value);
        }
    }
    return holder.value;
}
function readJsonc(text, file, format) {
    const source = text.replace(/^\uFEFF/, '');
    const lines = new LineIndex(source);
    const errors = [];
    let tree;
    try {
        tree = (0,main.parseTree)(source, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
    }
    catch (error) {
        if (error instanceof RangeError)
            return { ok: false, error: { message: 'invalid JSON: nesting too deep to read', line: 1, column: 1 } };
        throw error;
    }
    const first = errors[0];
    if (first) {
        const { line, column } = lines.position(first.offset);
        const code = (0,main.printParseErrorCode)(first.error);
        return { ok: false, error: { message: `invalid JSON: ${MESSAGES[code] ?? code}`, line, column } };
    }
    if (!tree)
        return { ok: false, error: { message: 'invalid JSON: the file is empty', line: 1, column: 1 } };
    const table = new PositionTable();
    const data = walk(tree, table);
    return { ok: true, doc: makeDocument(file, format, data, table, lines) };
}

;// CONCATENATED MODULE: ./src/read/text.ts
const BINARY_SNIFF_BYTES = 8192;
function decodeText(bytes, _file) {
    const sniff = bytes.subarray(0, BINARY_SNIFF_BYTES);
    const nul = sniff.indexOf(0);
    if (nul !== -1) {
        const line = countLines(bytes, nul);
        return { ok: false, error: { message: `it looks binary (a NUL byte at line ${line}); configuration files are text.`, line, column: 1 } };
    }
    try {
        const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
        return { ok: true, text };
    }
    catch {
        const offset = firstInvalidUtf8(bytes);
        const line = countLines(bytes, offset);
        return { ok: false, error: { message: `it is not valid UTF-8 (first invalid byte at line ${line}); save it as UTF-8.`, line, column: 1 } };
    }
}
function countLines(bytes, end) {
    let line = 1;
    for (let i = 0; i < end; i++)
        if (bytes[i] === 0x0a)
            line++;
    return line;
}
/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes) {
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i];
        const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
        if (length === 0)
            return i;
        const chunk = bytes.subarray(i, i + length);
        if (chunk.length < length)
            return i;
        try {
            new TextDecoder('utf-8', { fatal: true }).decode(chunk);
        }
        catch {
            return i;
        }
        i += length;
    }
    return bytes.length;
}

;// CONCATENATED MODULE: ./src/wrangler/bindings.ts
const BINDING_SOURCES = [
    { key: 'kv_namespaces', kind: 'kv_namespace', nameField: 'binding', shape: 'array' },
    { key: 'durable_objects', list: 'bindings', kind: 'durable_object', nameField: 'name', shape: 'array' },
    { key: 'r2_buckets', kind: 'r2_bucket', nameField: 'binding', shape: 'array' },
    { key: 'd1_databases', kind: 'd1_database', nameField: 'binding', shape: 'array' },
    { key: 'queues', list: 'producers', kind: 'queue', nameField: 'binding', shape: 'array' },
    { key: 'services', kind: 'service', nameField: 'binding', shape: 'array' },
    { key: 'analytics_engine_datasets', kind: 'analytics_engine', nameField: 'binding', shape: 'array' },
    { key: 'vectorize', kind: 'vectorize', nameField: 'binding', shape: 'array' },
    { key: 'hyperdrive', kind: 'hyperdrive', nameField: 'binding', shape: 'array' },
    { key: 'ai', kind: 'ai', nameField: 'binding', shape: 'object' },
    { key: 'ai_search', kind: 'ai_search', nameField: 'binding', shape: 'array' },
    { key: 'ai_search_namespaces', kind: 'ai_search', nameField: 'binding', shape: 'array' },
    { key: 'unsafe_hello_world', kind: 'unsafe', nameField: 'binding', shape: 'array' },
    { key: 'browser', kind: 'browser', nameField: 'binding', shape: 'object' },
    { key: 'images', kind: 'images', nameField: 'binding', shape: 'object' },
    { key: 'media', kind: 'media', nameField: 'binding', shape: 'object' },
    { key: 'stream', kind: 'stream', nameField: 'binding', shape: 'object' },
    { key: 'version_metadata', kind: 'version_metadata', nameField: 'binding', shape: 'object' },
    { key: 'send_email', kind: 'send_email', nameField: 'name', shape: 'array' },
    { key: 'dispatch_namespaces', kind: 'dispatch_namespace', nameField: 'binding', shape: 'array' },
    { key: 'mtls_certificates', kind: 'mtls_certificate', nameField: 'binding', shape: 'array' },
    { key: 'pipelines', kind: 'pipeline', nameField: 'binding', shape: 'array' },
    { key: 'ratelimits', kind: 'ratelimit', nameField: 'name', shape: 'array' },
    { key: 'secrets_store_secrets', kind: 'secrets_store_secret', nameField: 'binding', shape: 'array' },
    { key: 'workflows', kind: 'workflow', nameField: 'binding', shape: 'array' },
    { key: 'worker_loaders', kind: 'worker_loader', nameField: 'binding', shape: 'array' },
    { key: 'vpc_services', kind: 'vpc_service', nameField: 'binding', shape: 'array' },
    { key: 'vpc_networks', kind: 'vpc_network', nameField: 'binding', shape: 'array' },
    { key: 'agent_memory', kind: 'agent_memory', nameField: 'binding', shape: 'array' },
    { key: 'websearch', kind: 'websearch', nameField: 'binding', shape: 'array' },
    { key: 'artifacts', kind: 'artifacts', nameField: 'binding', shape: 'array' },
    { key: 'flagship', kind: 'flagship', nameField: 'binding', shape: 'array' },
    { key: 'logfwdr', list: 'bindings', kind: 'logfwdr', nameField: 'name', shape: 'array' },
    { key: 'unsafe', list: 'bindings', kind: 'unsafe', nameField: 'name', shape: 'array' },
    { key: 'wasm_modules', kind: 'wasm_module', nameField: 'binding', shape: 'map' },
    { key: 'text_blobs', kind: 'text_blob', nameField: 'binding', shape: 'map' },
    { key: 'data_blobs', kind: 'data_blob', nameField: 'binding', shape: 'map' },
    { key: 'assets', kind: 'assets', nameField: 'binding', shape: 'object', inheritable: true },
];
/** Keys an `[env.NAME]` takes from the top level when it does not set them itself. */
const INHERITABLE_KEYS = (/* unused pure expression or super */ null && ([
    'name', 'main', 'compatibility_date', 'compatibility_flags', 'account_id', 'workers_dev', 'preview_urls', 'routes', 'route',
    'build', 'assets', 'no_bundle', 'minify', 'node_compat', 'first_party_worker', 'logpush', 'upload_source_maps', 'observability',
    'limits', 'placement', 'jsx_factory', 'jsx_fragment', 'tsconfig', 'rules', 'find_additional_modules', 'base_dir',
    'preserve_file_names', 'keep_names', 'python_modules', 'triggers', 'usage_model', 'compliance_region',
]));

;// CONCATENATED MODULE: ./src/wrangler/environments.ts
/**
 * Worker environments exactly as wrangler 4 resolves them (DESIGN §3): `[env.NAME]` inherits
 * name, main, compatibility settings, routes, build and assets, but NOT vars, secrets or any
 * binding. A binding declared only at the top level does not exist under `--env NAME`.
 * Wrong types never throw: the bad piece is skipped and reported as a problem with its line.
 */



function isTable(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
class Resolver {
    doc;
    configFile;
    problems = [];
    constructor(doc, configFile) {
        this.doc = doc;
        this.configFile = configFile;
    }
    at(keyPath) {
        const { line, column } = this.doc.locate(keyPath);
        return { file: this.configFile, line, column };
    }
    problem(keyPath, message) {
        const { line, column } = this.doc.locate(keyPath);
        this.problems.push({ message, line, column });
    }
    describe(keyPath) {
        return keyPath.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');
    }
    string(table, key, prefix) {
        const value = table[key];
        if (value === undefined)
            return undefined;
        if (typeof value === 'string')
            return value;
        this.problem([...prefix, key], `${this.describe([...prefix, key])} must be a string, not ${typeName(value)}.`);
        return undefined;
    }
    stringList(table, key, prefix) {
        const value = table[key];
        if (value === undefined)
            return [];
        if (!Array.isArray(value)) {
            this.problem([...prefix, key], `${this.describe([...prefix, key])} must be an array of strings, not ${typeName(value)}.`);
            return [];
        }
        return value.filter((item, i) => {
            if (typeof item === 'string')
                return true;
            this.problem([...prefix, key, i], `${this.describe([...prefix, key, i])} must be a string, not ${typeName(item)}.`);
            return false;
        });
    }
    bindings(env, prefix, source) {
        let container = env[source.key];
        if (container === undefined)
            return [];
        const basePath = [...prefix, source.key];
        if (source.list) {
            if (!isTable(container)) {
                this.problem(basePath, `${this.describe(basePath)} must be a table with a "${source.list}" array, not ${typeName(container)}.`);
                return [];
            }
            container = container[source.list];
            basePath.push(source.list);
            if (container === undefined)
                return [];
        }
        if (source.shape === 'map') {
            if (!isTable(container)) {
                this.problem(basePath, `${this.describe(basePath)} must be a table of NAME = "path", not ${typeName(container)}.`);
                return [];
            }
            return Object.keys(container).map((name) => ({ name, kind: source.kind, at: this.at([...basePath, name]) }));
        }
        // Some single-object kinds are written as arrays by newer configs, and vice versa: accept both.
        const entries = Array.isArray(container)
            ? container.map((item, i) => [item, [...basePath, i]])
            : isTable(container) ? [[container, basePath]] : [];
        if (entries.length === 0 && !Array.isArray(container)) {
            this.problem(basePath, `${this.describe(basePath)} must be ${source.shape === 'object' ? 'a table' : 'an array of tables'}, not ${typeName(container)}.`);
            return [];
        }
        const result = [];
        for (const [entry, entryPath] of entries) {
            if (!isTable(entry)) {
                this.problem(entryPath, `${this.describe(entryPath)} must be a table, not ${typeName(entry)}.`);
                continue;
            }
            const name = entry[source.nameField];
            if (typeof name !== 'string' || name === '') {
                this.problem(entryPath, `${this.describe(entryPath)} has no "${source.nameField}": wrangler needs it to name the binding.`);
                continue;
            }
            const details = {};
            for (const [k, v] of Object.entries(entry))
                if (k !== source.nameField && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'))
                    details[k] = String(v);
            result.push({ name, kind: source.kind, at: this.at([...entryPath, source.nameField]), ...(Object.keys(details).length > 0 ? { details } : {}) });
        }
        return result;
    }
    vars(env, prefix) {
        const vars = env.vars;
        if (vars === undefined)
            return {};
        if (!isTable(vars)) {
            this.problem([...prefix, 'vars'], `${this.describe([...prefix, 'vars'])} must be a table of NAME = value, not ${typeName(vars)}.`);
            return {};
        }
        const result = {};
        for (const [name, value] of Object.entries(vars)) {
            const text = typeof value === 'string' ? value : JSON.stringify(value);
            // Classification (secret or not) happens in the model builder, by classify.ts.
            result[name] = { value: new Sensitive(text, false), at: this.at([...prefix, 'vars', name]) };
        }
        return result;
    }
    secrets(env, prefix) {
        const secrets = env.secrets;
        if (secrets === undefined)
            return [];
        if (!isTable(secrets)) {
            this.problem([...prefix, 'secrets'], `${this.describe([...prefix, 'secrets'])} must be a table such as { required = ["NAME"] }, not ${typeName(secrets)}.`);
            return [];
        }
        const names = this.stringList(secrets, 'required', [...prefix, 'secrets']);
        return names.map((name) => {
            const index = secrets.required.indexOf(name);
            return { name, source: 'secrets.required', at: this.at([...prefix, 'secrets', 'required', index]) };
        });
    }
}
function typeName(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    if (typeof value === 'object')
        return 'a table';
    return `the ${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}
function resolveMain(configFile, main) {
    if (main === undefined)
        return undefined;
    const joined = posix_default().normalize(posix_default().join(posix_default().dirname(configFile), main.replace(/\\/g, '/')));
    return joined;
}
function resolveWorkerConfig(doc, opts) {
    const resolver = new Resolver(doc, opts.configFile);
    const data = doc.data;
    if (!isTable(data)) {
        resolver.problem([], `the config must be a table of settings, not ${typeName(data)}.`);
        return { environments: [], problems: resolver.problems };
    }
    const topName = resolver.string(data, 'name', []);
    const topMain = resolver.string(data, 'main', []);
    const topFlags = resolver.stringList(data, 'compatibility_flags', []);
    const topAssets = BINDING_SOURCES.filter((s) => s.inheritable).flatMap((s) => resolver.bindings(data, [], s));
    const environment = (env, name) => {
        const prefix = name === null ? [] : ['env', name];
        const ownName = name === null ? topName : resolver.string(env, 'name', prefix);
        const ownMain = name === null ? topMain : resolver.string(env, 'main', prefix);
        const flags = name === null || env.compatibility_flags === undefined ? topFlags : resolver.stringList(env, 'compatibility_flags', prefix);
        const bindings = [];
        for (const source of BINDING_SOURCES) {
            if (source.inheritable && name !== null && env[source.key] === undefined) {
                bindings.push(...topAssets);
                continue;
            }
            bindings.push(...resolver.bindings(env, prefix, source));
        }
        const base = topName ?? posix_default().basename(posix_default().dirname(opts.configFile) || '.');
        // wrangler names the script of [env.NAME] "<name>-<NAME>" unless the environment sets `name`.
        const scriptName = ownName ?? (name === null ? base : `${base}-${name}`);
        const main = name === null ? resolveMain(opts.configFile, topMain) : resolveMain(opts.configFile, ownMain ?? topMain);
        return {
            config: opts.configFile,
            name,
            dev: false,
            scriptName,
            ...(main ? { main } : {}),
            compatibilityFlags: flags,
            bindings: bindings.sort((a, b) => a.name.localeCompare(b.name) || a.at.line - b.at.line),
            vars: resolver.vars(env, prefix),
            secrets: resolver.secrets(env, prefix).sort((a, b) => a.name.localeCompare(b.name)),
            at: name === null ? { file: opts.configFile, line: 1, column: 1 } : resolver.at(prefix),
        };
    };
    const environments = [environment(data, null)];
    const envs = data.env;
    if (envs !== undefined && !isTable(envs)) {
        resolver.problem(['env'], `env must be a table of [env.NAME] sections, not ${typeName(envs)}.`);
    }
    else if (envs) {
        for (const name of Object.keys(envs).sort()) {
            const env = envs[name];
            if (!isTable(env)) {
                resolver.problem(['env', name], `env.${name} must be a table, not ${typeName(env)}.`);
                continue;
            }
            environments.push(environment(env, name));
        }
    }
    const unique = new Map(resolver.problems.map((p) => [`${p.line}:${p.column}:${p.message}`, p]));
    return { environments, problems: [...unique.values()] };
}
/** `.wrangler/deploy/config.json` (written by build tools): the config deploys really use. */
function readDeployRedirect(doc) {
    const data = doc.data;
    return isTable(data) && typeof data.configPath === 'string' ? data.configPath : undefined;
}

;// CONCATENATED MODULE: ./src/read-repo.ts
/**
 * The "read" stage: turns discovered files into RepoData. Every failure becomes a ReadProblem
 * naming file and line; nothing here throws on user input, so one broken file never hides the
 * findings of the others.
 */







/** Files above this size are skipped with a note: real configs are kilobytes. */
const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
const PROJECT_REF = /^[a-z]{20}$/;
/** wrangler's own lookup order when several configs sit in one folder. */
const WRANGLER_PRECEDENCE = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];
function loadText(root, file, maxBytes, problems) {
    const abs = external_node_path_default().join(root, ...file.path.split('/'));
    let bytes;
    try {
        const size = external_node_fs_default().statSync(abs).size;
        if (size > maxBytes) {
            problems.push({ file: file.path, line: 1, column: 1, severity: 'note', message: `${file.path} was not read: it is ${Math.round(size / 1024 / 1024)} MiB, above the ${Math.round(maxBytes / 1024 / 1024)} MiB limit for configuration files.` });
            return undefined;
        }
        bytes = external_node_fs_default().readFileSync(abs);
    }
    catch (error) {
        problems.push({ file: file.path, line: 1, column: 1, severity: 'error', message: `${file.path} could not be read (${error.code ?? 'error'}).` });
        return undefined;
    }
    const decoded = decodeText(bytes, file.path);
    if (!decoded.ok) {
        problems.push({ file: file.path, line: decoded.error.line, column: decoded.error.column, severity: 'error', message: `${file.path} cannot be read as text: ${decoded.error.message}` });
        return undefined;
    }
    return decoded.text;
}
function parseFailure(file, result) {
    const { line, column, message } = result.error;
    return { file, line, column, severity: 'error', message: `${file}:${line}: ${message}` };
}
function readWorkerConfig(file, text, problems) {
    const name = external_node_path_default().posix.basename(file.path);
    const result = name.endsWith('.toml') ? readToml(text, file.path) : readJsonc(text, file.path, name.endsWith('.jsonc') ? 'jsonc' : 'json');
    if (!result.ok) {
        problems.push(parseFailure(file.path, result));
        return undefined;
    }
    const resolved = resolveWorkerConfig(result.doc, { configFile: file.path });
    for (const p of resolved.problems)
        problems.push({ file: file.path, line: p.line, column: p.column, severity: 'error', message: `${file.path}:${p.line}: ${p.message}` });
    return { path: file.path, environments: resolved.environments };
}
function readPackageJson(file, text) {
    const result = readJsonc(text, file.path, 'json');
    // A broken package.json is npm's to report; it only tells us which framework a folder uses.
    if (!result.ok || typeof result.doc.data !== 'object' || result.doc.data === null)
        return undefined;
    const pkg = result.doc.data;
    const dependencies = new Set();
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies']) {
        const deps = pkg[key];
        if (typeof deps === 'object' && deps !== null && !Array.isArray(deps))
            for (const dep of Object.keys(deps))
                dependencies.add(dep);
    }
    return { path: file.path, dependencies };
}
/** Keeps the config wrangler itself would use in each folder and notes the others. */
function effectiveWranglerConfigs(files, problems) {
    const byDir = new Map();
    for (const f of files) {
        const dir = external_node_path_default().posix.dirname(f.path);
        byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
    }
    const chosen = [];
    for (const group of byDir.values()) {
        const ordered = [...group].sort((a, b) => WRANGLER_PRECEDENCE.indexOf(external_node_path_default().posix.basename(a.path)) - WRANGLER_PRECEDENCE.indexOf(external_node_path_default().posix.basename(b.path)));
        const [first, ...rest] = ordered;
        if (!first)
            continue;
        chosen.push(first);
        for (const other of rest) {
            problems.push({ file: other.path, line: 1, column: 1, severity: 'note', message: `${other.path} is ignored by wrangler because ${first.path} takes precedence (wrangler reads wrangler.json, then wrangler.jsonc, then wrangler.toml); deploy-guard checks ${first.path} only.` });
        }
    }
    return chosen.sort((a, b) => (a.path < b.path ? -1 : 1));
}
function readRepository(discovery, maxFileBytes = DEFAULT_MAX_FILE_BYTES) {
    const problems = discovery.skipped.map((s) => ({ file: s.path, line: 1, column: 1, severity: 'note', message: `${s.path} was not read: it ${s.reason}.` }));
    const data = { root: discovery.root, envFiles: [], workers: [], packageJsons: [], projectRefs: [] };
    const wranglerFiles = effectiveWranglerConfigs(discovery.files.filter((f) => f.kind === 'wrangler-config'), problems);
    for (const file of wranglerFiles) {
        const text = loadText(discovery.root, file, maxFileBytes, problems);
        const worker = text === undefined ? undefined : readWorkerConfig(file, text, problems);
        if (worker)
            data.workers.push(worker);
    }
    for (const file of discovery.files) {
        if (file.kind === 'wrangler-config')
            continue;
        const text = loadText(discovery.root, file, maxFileBytes, problems);
        if (text === undefined)
            continue;
        switch (file.kind) {
            case 'env-file':
            case 'dev-vars': {
                const parsed = readEnvFile(text, file.path);
                for (const p of parsed.problems)
                    problems.push({ file: file.path, line: p.line, column: p.column, severity: 'error', message: `${file.path}:${p.line}: ${p.message}` });
                const loaded = { path: file.path, entries: parsed.entries, gitignored: file.gitignored };
                data.envFiles.push(loaded);
                break;
            }
            case 'package-json': {
                const pkg = readPackageJson(file, text);
                if (pkg)
                    data.packageJsons.push(pkg);
                break;
            }
            case 'project-ref': {
                const ref = text.trim();
                if (PROJECT_REF.test(ref))
                    data.projectRefs.push({ path: file.path, ref });
                else
                    problems.push({ file: file.path, line: 1, column: 1, severity: 'warning', message: `${file.path} does not hold a Supabase project ref (20 lowercase letters); run \`supabase link\` again.` });
                break;
            }
            case 'deploy-redirect':
            case 'secrets-file':
                break;
        }
    }
    return { data, problems };
}

;// CONCATENATED MODULE: ./src/check.ts
/**
 * The pipeline (DESIGN §1): discover → read → model → rules → severities → sorted findings.
 * Shared by the CLI and the action; both only choose formatters and exit codes.
 */









const SEVERITY_RANK = { error: 0, warning: 1, note: 2 };
function compareFindings(a, b) {
    return ((a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        (a.column ?? 0) - (b.column ?? 0) ||
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        a.rule.localeCompare(b.rule) ||
        (a.environment ?? '').localeCompare(b.environment ?? '') ||
        a.message.localeCompare(b.message));
}
/** Runs every rule, applies configured severities, drops duplicates, sorts. Pure. */
function evaluate(model, config, context) {
    const findings = [];
    const seen = new Set();
    for (const rule of RULES) {
        const setting = config.rules[rule.id];
        if (setting === 'off')
            continue;
        for (const raw of rule.check(model, context)) {
            const severity = setting ?? raw.severity ?? rule.defaultSeverity;
            const finding = { rule: rule.id, severity, ...withoutSeverity(raw) };
            const key = JSON.stringify([finding.rule, finding.file, finding.line, finding.column, finding.subject, finding.message]);
            if (seen.has(key))
                continue;
            seen.add(key);
            findings.push(finding);
        }
    }
    return findings.sort(compareFindings);
}
function withoutSeverity(raw) {
    const { severity: _ignored, ...rest } = raw;
    return rest;
}
function summarize(findings) {
    return {
        errors: findings.filter((f) => f.severity === 'error').length,
        warnings: findings.filter((f) => f.severity === 'warning').length,
        notes: findings.filter((f) => f.severity === 'note').length,
    };
}
function collectSecretTexts(model) {
    const texts = new Set();
    for (const worker of model.workers) {
        for (const env of worker.environments) {
            for (const v of Object.values(env.vars))
                if (v.value.secret)
                    texts.add(v.value.reveal());
            for (const s of env.secrets)
                if (s.value?.value.secret)
                    texts.add(s.value.value.reveal());
        }
    }
    return [...texts].filter((t) => t.length > 0).sort();
}
function deployValues(options) {
    const values = new Map();
    for (const [name, value] of Object.entries(options.processEnv ?? {}))
        if (value !== undefined && value !== '')
            values.set(name, value);
    return values;
}
function runCheck(options) {
    const root = external_node_path_default().resolve(options.root);
    let stat;
    try {
        stat = external_node_fs_default().statSync(root);
    }
    catch {
        throw new ConfigurationError(`the folder to check does not exist: ${options.root}`);
    }
    if (!stat.isDirectory())
        throw new ConfigurationError(`the path to check is not a folder: ${options.root}`);
    const fileConfig = loadConfig(root, options.configPath, options.configDisplayPath);
    const config = { ...fileConfig, ...definedOnly(options.overrides ?? {}) };
    const discovery = discover(root, ignore_default()().add(config.ignore));
    const { data, problems } = readRepository(discovery, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    const built = buildModel(data, {
        deploy: options.deployEnvironment ? { environment: options.deployEnvironment, values: deployValues(options) } : undefined,
        pairs: config.pairs,
    });
    const model = { ...built, root, problems: [...built.problems, ...problems] };
    const findings = evaluate(model, config, { deployEnvironment: options.deployEnvironment, now: options.now ?? new Date() });
    return { root, config, model, findings, summary: summarize(findings), secretTexts: collectSecretTexts(model) };
}
function definedOnly(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
/** Whether the findings reach the fail-on threshold. */
function reachesThreshold(findings, failOn) {
    if (failOn === 'never')
        return false;
    return findings.some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn]);
}

;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: ./src/cli-args.ts
/** Parses the command line into options; every mistake is a ConfigurationError (exit 2). Pure. */



const FORMATS = ['text', 'json', 'markdown'];
const HELP = `deploy-guard: checks that a repository's frontends and Cloudflare Workers agree on their
Supabase project, before a pull request merges or a deploy runs.

Usage:
  deploy-guard check [ROOT] [options]
  deploy-guard [ROOT] [options]          (same as check)

Arguments:
  ROOT                 The repository folder to check (default: the current folder).

Options:
  --env NAME           Check as the deploy of environment NAME: values of the process
                       environment whose names the Worker or frontend declares (in .env*,
                       .dev.vars*, secrets.required, *.example) are taken as the values
                       deployed to NAME. They are compared, never printed. Without --env
                       the process environment is ignored.
  --format FORMAT      text (default), json or markdown.
  --output FILE        Write the report to FILE instead of standard output.
  --config FILE        Config file (default: ROOT/deploy-guard.config.json when present).
  --fail-on LEVEL      Exit 1 when a finding is at or above LEVEL: error (default),
                       warning, note, or never.
  --no-color           Plain text even on a terminal (NO_COLOR is honoured too).
  -h, --help           Show this help.
  -v, --version        Show the version.

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  deploy-guard itself could not run (bad flags, unreadable folder, invalid config)

Rules: supabase-ref-mismatch, supabase-key-mismatch, parse-error.
Docs: https://github.com/deploy-guard/deploy-guard/tree/main/docs/rules
`;
function parseCli(argv) {
    let parsed;
    try {
        parsed = (0,external_node_util_namespaceObject.parseArgs)({
            args: [...argv],
            allowPositionals: true,
            strict: true,
            options: {
                env: { type: 'string' },
                format: { type: 'string' },
                output: { type: 'string', short: 'o' },
                config: { type: 'string' },
                'fail-on': { type: 'string' },
                'no-color': { type: 'boolean' },
                help: { type: 'boolean', short: 'h' },
                version: { type: 'boolean', short: 'v' },
            },
        });
    }
    catch (error) {
        throw new ConfigurationError(`${error.message.replace(/\. To specify.*$/s, '')}. Run deploy-guard --help for the options.`);
    }
    const { values, positionals } = parsed;
    if (values.help)
        return { command: 'help' };
    if (values.version)
        return { command: 'version' };
    const args = [...positionals];
    if (args[0] === 'check')
        args.shift();
    else if (args[0] === 'help')
        return { command: 'help' };
    if (args.length > 1)
        throw new ConfigurationError(`expected at most one folder to check, got: ${args.join(' ')}. Run deploy-guard --help.`);
    const format = values.format ?? 'text';
    if (!FORMATS.includes(format))
        throw new ConfigurationError(`--format must be one of ${FORMATS.join(', ')} (got "${format}").`);
    const failOn = values['fail-on'];
    if (failOn !== undefined && !FAIL_ON_VALUES.includes(failOn))
        throw new ConfigurationError(`--fail-on must be one of ${FAIL_ON_VALUES.join(', ')} (got "${failOn}").`);
    if (values.env !== undefined && !/^[A-Za-z0-9_.-]+$/.test(values.env))
        throw new ConfigurationError(`--env must be an environment name such as production (got "${values.env}").`);
    return {
        command: 'check',
        root: args[0] ?? '.',
        env: values.env,
        format: format,
        output: values.output,
        config: values.config,
        failOn: failOn,
        colour: values['no-color'] ? false : undefined,
    };
}

;// CONCATENATED MODULE: ./src/report/view.ts

function viewSurface(surface) {
    const chosen = surfaceTarget(surface.evidence);
    return {
        kind: surface.kind,
        path: surface.path,
        environment: surface.environment,
        label: surface.label,
        project: chosen ? describeTarget(chosen.target) : 'no Supabase settings found',
        ref: chosen && chosen.target.kind === 'project' ? chosen.target.ref : undefined,
        evidence: surface.evidence.map((e) => ({
            variable: e.variable,
            role: e.role,
            target: describeTarget(e.target),
            file: e.at.file,
            line: e.at.line,
            deployTime: e.source === 'deploy-env',
        })),
    };
}
function surfacesOf(result, side, kind) {
    return result.model.surfaces.filter((s) => s.kind === kind && s.path === side.path && s.environment === side.environment);
}
function viewPair(result, pair) {
    const frontends = surfacesOf(result, pair.frontend, 'frontend');
    const workers = surfacesOf(result, pair.worker, 'worker');
    let verdict = 'match';
    let decided = false;
    for (const f of frontends) {
        for (const w of workers) {
            const a = surfaceTarget(f.evidence);
            const b = surfaceTarget(w.evidence);
            const same = a && b ? sameTarget(a.target, b.target) : undefined;
            if (same === false)
                verdict = 'mismatch';
            if (same !== undefined)
                decided = true;
        }
    }
    if (!decided && verdict === 'match')
        verdict = 'unknown';
    return { ...pair, frontendLabels: frontends.map((s) => s.label), workerLabels: workers.map((s) => s.label), verdict };
}
const PAIR_REASONS = {
    'same-name': 'same name',
    'local-dev': 'local development',
    'top-level-as-production': 'top level deploys production',
    config: 'config file',
};
function plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function summaryLine(result) {
    const { errors, warnings, notes } = result.summary;
    return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}`;
}

;// CONCATENATED MODULE: ./src/report/json.ts

function toJsonReport(result, options) {
    return {
        version: 1,
        root: options.root,
        summary: result.summary,
        findings: result.findings,
        workers: result.model.workers.map((w) => ({
            config: w.config,
            environments: w.environments.map((e) => ({
                name: e.name,
                dev: e.dev,
                scriptName: e.scriptName,
                ...(e.main ? { main: e.main } : {}),
                bindings: e.bindings.map((b) => ({ name: b.name, kind: b.kind })).sort((a, b) => a.name.localeCompare(b.name)),
                vars: Object.keys(e.vars).sort(),
                secrets: e.secrets.map((s) => s.name).sort(),
            })),
        })),
        surfaces: result.model.surfaces.map(viewSurface),
        pairs: result.model.pairs.map((p) => {
            const view = viewPair(result, p);
            return { environment: p.environment, frontend: p.frontend, worker: p.worker, reason: p.reason, verdict: view.verdict };
        }),
        supabaseLinks: result.model.supabaseLinks,
    };
}
function formatJson(result, options) {
    return `${JSON.stringify(toJsonReport(result, options), null, 2)}\n`;
}

;// CONCATENATED MODULE: ./src/rules/rule.ts
const DOCS_BASE = 'https://github.com/deploy-guard/deploy-guard/blob/main/docs/rules';
function docsUrl(id) {
    return `${DOCS_BASE}/${id}.md`;
}

;// CONCATENATED MODULE: ./src/report/markdown.ts


/** GitHub rejects a job summary above 1 MiB; stay well below it. */
const SUMMARY_LIMIT_BYTES = 1_000_000;
function cell(text) {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}
const ICON = { error: '🔴', warning: '🟠', note: '🔵' };
function formatMarkdown(result, options = {}) {
    const out = [];
    const { errors } = result.summary;
    out.push(`## ${options.title ?? 'deploy-guard'}: ${errors > 0 ? '❌' : '✅'} ${summaryLine(result)}`, '');
    const surfaces = result.model.surfaces.map(viewSurface);
    if (surfaces.length > 0) {
        out.push('### Supabase project per environment and surface', '');
        out.push('| Environment | Surface | Supabase project | Evidence |', '| --- | --- | --- | --- |');
        for (const s of [...surfaces].sort((a, b) => a.environment.localeCompare(b.environment) || a.label.localeCompare(b.label))) {
            const evidence = s.evidence.map((e) => `\`${e.variable}\` → ${e.target} (${e.deployTime ? 'deploy-time value, declared at ' : ''}${e.file}:${e.line})`).join('<br>') || '—';
            out.push(`| ${cell(s.environment)} | ${cell(s.label)} | ${cell(s.project)} | ${evidence.split('<br>').map(cell).join('<br>')} |`);
        }
        out.push('');
    }
    const pairs = result.model.pairs.map((p) => viewPair(result, p));
    out.push('### Pairs compared', '');
    if (pairs.length === 0) {
        out.push('No frontend and Worker environments were paired. Name them alike or state `pairs` in `deploy-guard.config.json`.', '');
    }
    else {
        out.push('| Environment | Frontend | Worker | Paired by | Verdict |', '| --- | --- | --- | --- | --- |');
        for (const p of pairs) {
            const verdict = p.verdict === 'mismatch' ? '❌ different projects' : p.verdict === 'match' ? '✅ same project' : '❔ not decidable';
            out.push(`| ${cell(p.environment)} | ${cell(`${p.frontend.path} (mode ${p.frontend.environment})`)} | ${cell(`${p.worker.path} (${p.worker.environment})`)} | ${PAIR_REASONS[p.reason]} | ${verdict} |`);
        }
        out.push('');
    }
    const limit = options.limitBytes ?? SUMMARY_LIMIT_BYTES;
    if (result.findings.length > 0) {
        out.push('### Findings', '', '| | Rule | Location | Message |', '| --- | --- | --- | --- |');
        let size = Buffer.byteLength(out.join('\n'));
        let shown = 0;
        for (const f of result.findings) {
            const row = `| ${ICON[f.severity]} ${f.severity} | [${f.rule}](${docsUrl(f.rule)}) | \`${cell(`${f.file}:${f.line}`)}\` | ${cell(f.message)} |`;
            if (size + Buffer.byteLength(row) + 200 > limit)
                break;
            out.push(row);
            size += Buffer.byteLength(row) + 1;
            shown++;
        }
        if (shown < result.findings.length)
            out.push('', `… and ${result.findings.length - shown} more findings not shown (size limit). Run \`deploy-guard check --format json\` for all of them.`);
        out.push('');
    }
    return `${out.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./src/report/text.ts


const COLOURS = {
    error: ['\u001b[31m', '\u001b[39m'],
    warning: ['\u001b[33m', '\u001b[39m'],
    note: ['\u001b[36m', '\u001b[39m'],
    green: ['\u001b[32m', '\u001b[39m'],
    dim: ['\u001b[2m', '\u001b[22m'],
    bold: ['\u001b[1m', '\u001b[22m'],
};
function formatText(result, options) {
    const paint = (style, text) => (options.colour ? `${COLOURS[style][0]}${text}${COLOURS[style][1]}` : text);
    const lines = [];
    const groups = new Map();
    for (const f of result.findings) {
        const key = f.environment ?? '';
        groups.set(key, [...(groups.get(key) ?? []), f]);
    }
    const order = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
    for (const environment of order) {
        lines.push(paint('bold', environment === '' ? 'All environments' : `Environment: ${environment}`));
        for (const f of groups.get(environment) ?? []) {
            const where = `${f.file}:${f.line}${f.column ? `:${f.column}` : ''}`;
            lines.push(`  ${paint(f.severity, f.severity.padEnd(7))} ${where}  ${paint('dim', f.rule)}`);
            lines.push(`          ${f.message}`);
            for (const r of f.related ?? [])
                lines.push(paint('dim', `          related: ${r.file}:${r.line}${r.message ? ` (${r.message})` : ''}`));
            lines.push(paint('dim', `          docs: ${docsUrl(f.rule)}`));
        }
        lines.push('');
    }
    const surfaces = result.model.surfaces.map(viewSurface).filter((s) => s.evidence.length > 0);
    if (surfaces.length > 0) {
        lines.push(paint('bold', 'Supabase project per surface'));
        for (const s of surfaces)
            lines.push(`  ${s.environment.padEnd(12)} ${s.label}: ${s.project}`);
        lines.push('');
    }
    const pairs = result.model.pairs.map((p) => viewPair(result, p));
    if (pairs.length > 0) {
        lines.push(paint('bold', 'Pairs compared (frontend ↔ worker)'));
        for (const p of pairs) {
            const verdict = p.verdict === 'mismatch' ? paint('error', 'MISMATCH') : p.verdict === 'match' ? paint('green', 'same project') : paint('dim', 'not decidable');
            lines.push(`  ${p.environment.padEnd(12)} ${p.frontend.path} (mode ${p.frontend.environment}) ↔ ${p.worker.path} (${p.worker.environment}) [${PAIR_REASONS[p.reason]}]: ${verdict}`);
        }
        lines.push('');
    }
    else if (result.model.surfaces.length > 0) {
        lines.push(paint('dim', 'No frontend and Worker environments were paired, so no project comparison was made. State pairs in deploy-guard.config.json if names differ.'));
        lines.push('');
    }
    for (const link of result.model.supabaseLinks)
        lines.push(paint('dim', `supabase link (${link.path}): project ${link.ref}`));
    const verdictLine = `${summaryLine(result)}.`;
    lines.push(result.summary.errors > 0 ? paint('error', verdictLine) : result.findings.length > 0 ? paint('warning', verdictLine) : paint('green', `No problems found. ${verdictLine}`));
    return `${lines.join('\n')}\n`;
}

;// CONCATENATED MODULE: ./src/version.ts
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./src/cli-main.ts
/** The `deploy-guard` command: a thin shell choosing a formatter and an exit code. */










/** The root as the user named it (relative stays relative), with forward slashes. */
function displayRoot(cwd, target) {
    if (external_node_path_default().isAbsolute(target))
        return target.split((external_node_path_default()).sep).join('/');
    const rel = external_node_path_default().relative(cwd, external_node_path_default().resolve(cwd, target));
    return rel === '' ? '.' : rel.split((external_node_path_default()).sep).join('/');
}
function runCommand(command, io) {
    const result = runCheck({
        root: external_node_path_default().resolve(io.cwd, command.root),
        deployEnvironment: command.env,
        processEnv: command.env ? io.env : undefined,
        configPath: command.config ? external_node_path_default().resolve(io.cwd, command.config) : undefined,
        configDisplayPath: command.config,
        overrides: { failOn: command.failOn },
    });
    const failOn = result.config.failOn;
    const colour = command.colour ?? (io.isTty && !command.output && io.env.NO_COLOR === undefined);
    const report = command.format === 'json' ? formatJson(result, { root: displayRoot(io.cwd, command.root) })
        : command.format === 'markdown' ? formatMarkdown(result)
            : formatText(result, { colour, failOn });
    // Formatters never receive secret text; this is the last line of defence all the same.
    const safe = redactText(report, result.secretTexts);
    if (command.output) {
        external_node_fs_default().mkdirSync(external_node_path_default().dirname(external_node_path_default().resolve(io.cwd, command.output)), { recursive: true });
        external_node_fs_default().writeFileSync(external_node_path_default().resolve(io.cwd, command.output), safe);
        io.stderr(`deploy-guard: ${result.summary.errors} errors, ${result.summary.warnings} warnings, ${result.summary.notes} notes; report written to ${command.output}\n`);
    }
    else {
        io.stdout(safe);
    }
    return reachesThreshold(result.findings, failOn) ? 1 : 0;
}
function cli_main_main(argv, io) {
    try {
        const command = parseCli(argv);
        if (command.command === 'help') {
            io.stdout(HELP);
            return 0;
        }
        if (command.command === 'version') {
            io.stdout(`${VERSION}\n`);
            return 0;
        }
        return runCommand(command, io);
    }
    catch (error) {
        const { message } = describeFailure(error);
        io.stderr(`deploy-guard: ${message}\n`);
        return 2;
    }
}

;// CONCATENATED MODULE: ./src/cli.ts
/** Entry of the `deploy-guard` bin (bundled to dist/cli.js). All logic is in cli-main.ts. */

process.exitCode = cli_main_main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
    isTty: Boolean(process.stdout.isTTY),
});

