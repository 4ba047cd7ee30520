/** The types rules, sorted by id. */
import type { AnyRule } from '../rule.js';
import avoidCharN from './avoid-char-n.js';
import avoidMoneyType from './avoid-money-type.js';
import floatForMoney from './float-for-money.js';
import intKeyExhaustion from './int-key-exhaustion.js';
import preferGenRandomUuid from './prefer-gen-random-uuid.js';
import preferIdentityOverSerial from './prefer-identity-over-serial.js';
import preferJsonb from './prefer-jsonb.js';
import preferTimestamptz from './prefer-timestamptz.js';
import uuidAsText from './uuid-as-text.js';

export const typesRules: AnyRule[] = [
  avoidCharN,
  avoidMoneyType,
  floatForMoney,
  intKeyExhaustion,
  preferGenRandomUuid,
  preferIdentityOverSerial,
  preferJsonb,
  preferTimestamptz,
  uuidAsText,
];
