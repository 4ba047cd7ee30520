import type { Column } from '../../catalog/types.js';
import { defineRule } from '../rule.js';

/**
 * Passwords, tokens, keys and identity or card numbers kept as plain text are read by every backup,
 * replica, log of a slow query, support tool and SQL injection. Passwords should only ever be stored as
 * a slow salted hash; other secrets encrypted (with the key outside the database) or replaced by a token.
 */
export default defineRule({
  meta: {
    id: 'sensitive-column-plaintext',
    category: 'security',
    defaultSeverity: 'error',
    description: 'A text column whose name says it holds a password, secret, token or identity/card number, and nothing says it is hashed or encrypted.',
    fixable: false,
    defaultOptions: {
      /** Sensitive words, matched against the word parts of column names (snake_case or camelCase). */
      sensitiveTerms: [
        'password', 'passwd', 'pwd', 'passphrase',
        'secret', 'secret_key', 'client_secret', 'token', 'api_key', 'apikey', 'access_key', 'private_key',
        'ssn', 'social_security', 'national_id', 'passport_number', 'tax_id',
        'card_number', 'credit_card', 'cc_number', 'cvv', 'cvv2', 'cvc', 'iban',
      ],
      /** Word parts that say the value is protected: `password_hash`, `encrypted_ssn`. */
      protectedMarkers: [
        'hash', 'hashed', 'digest', 'encrypted', 'enc', 'crypt', 'crypted', 'bcrypt', 'scrypt', 'argon2', 'argon2id',
        'pbkdf2', 'hmac', 'sha1', 'sha256', 'sha512', 'md5', 'cipher', 'ciphertext', 'masked', 'redacted',
      ],
      /**
       * Word parts that may follow the sensitive term and still name the value itself (`password_plain`,
       * `iban_number`). Any other following part names something else (`token_type`, `ssn_last4`).
       */
      valueSuffixes: ['plain', 'plaintext', 'raw', 'clear', 'cleartext', 'text', 'value', 'val', 'str', 'string', 'number', 'num', 'no', 'code', 'data'],
    },
  },
  check({ index, options, report }) {
    const terms: SensitiveTerm[] = options.sensitiveTerms.map((term) => ({ term, parts: wordParts(term) })).filter((t) => t.parts.length > 0);
    const markers = new Set(options.protectedMarkers.map((m) => m.toLowerCase()));
    const suffixes = new Set(options.valueSuffixes.map((s) => s.toLowerCase()));

    // Column names repeat from table to table (id, name, created_at): each name is judged once.
    const matches = new Map<string, SensitiveTerm | null>();
    const matchOf = (name: string): SensitiveTerm | null => {
      let match = matches.get(name);
      if (match === undefined) {
        const parts = wordParts(name);
        match = parts.some((p) => markers.has(p)) ? null : (terms.find((t) => namesValue(parts, t.parts, suffixes)) ?? null);
        matches.set(name, match);
      }
      return match;
    };

    for (const column of index.designColumns()) {
      if (!isTextLike(column)) continue;
      const match = matchOf(column.name);
      if (!match) continue;
      report({
        object: { type: 'column', schema: column.schema, table: column.table, name: column.name, column: column.name },
        message: `Column ${column.schema}.${column.table}.${column.name} (${column.type}) is named like sensitive data ("${match.term}") but is stored as plain text.`,
        evidence: {
          type: column.type,
          matchedTerm: match.term,
          advice: adviceFor(match.parts),
        },
        // Hashing or encrypting existing values is a data migration with application changes (who
        // hashes, where the key lives, which readers change), so there is no one-statement fix.
        fix: null,
      });
    }
  },
});

/** A sensitive term as configured, and its word parts. */
interface SensitiveTerm {
  term: string;
  parts: string[];
}

/** `userPassword`, `user_password`, `USER-PASSWORD` → ['user', 'password']. */
function wordParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p !== '');
}

/**
 * True when `term` occurs in `parts` (its last word also as a plural) and every part after it only
 * qualifies the value (`_plain`, `_number`, digits).
 */
function namesValue(parts: readonly string[], term: readonly string[], suffixes: ReadonlySet<string>): boolean {
  for (let start = 0; start + term.length <= parts.length; start++) {
    const matches = term.every((word, i) => {
      const part = parts[start + i];
      return part === word || (i === term.length - 1 && part === `${word}s`);
    });
    if (!matches) continue;
    const rest = parts.slice(start + term.length);
    if (rest.every((p) => suffixes.has(p) || /^[0-9]+$/.test(p))) return true;
  }
  return false;
}

const TEXT_TYPES = new Set(['text', 'varchar', 'bpchar', 'citext', 'name']);
const TEXT_DOMAIN_BASES = /^(text|character varying|character|citext|name)\b/;

function isTextLike(column: Column): boolean {
  if (column.typeKind === 'd') return column.domainBaseType !== null && TEXT_DOMAIN_BASES.test(column.domainBaseType);
  return TEXT_TYPES.has(column.typeName);
}

const PASSWORD_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase']);
const CARD_CODE_WORDS = new Set(['cvv', 'cvv2', 'cvc']);
const IDENTITY_WORDS = new Set(['ssn', 'social', 'national', 'passport', 'tax', 'card', 'credit', 'cc', 'iban']);

function adviceFor(term: readonly string[]): string {
  if (term.some((w) => PASSWORD_WORDS.has(w))) {
    return "store only a slow salted hash: argon2id or bcrypt in the application, or pgcrypto's crypt(password, gen_salt('bf')) into a password_hash column; then drop this column";
  }
  if (term.some((w) => CARD_CODE_WORDS.has(w))) {
    return 'do not store card security codes at all: PCI DSS forbids keeping them after authorisation';
  }
  if (term.some((w) => IDENTITY_WORDS.has(w))) {
    return 'encrypt it (pgcrypto pgp_sym_encrypt into a bytea column, with the key kept outside the database) or replace it by a token from a vault or the payment processor; keep only a masked copy (last four characters) for display';
  }
  return "if it is only compared, store a hash (pgcrypto encode(digest(value, 'sha256'), 'hex')) and compare hashes; if it must be read back, encrypt it (pgp_sym_encrypt into bytea, key outside the database) or keep it in a secrets manager";
}
