/**
 * Words too common to rank by (English): dropped from the index and from queries, so a query of
 * only these gets a clear "no searchable words" instead of every note.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in ' +
    'into is it its me my no not of on or our she so than that the their them then there these they this ' +
    'to too us was we were what when where which who why will with would you your yours'
  ).split(' '),
);
