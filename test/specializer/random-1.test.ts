// Random programs, interpreted (reference evaluator) vs wevaled: seeds 1..500 of the 1,000 in npm test.
import { describe, it } from "vitest";
import { differential, range } from "./fuzz-shared.ts";

describe("random programs, reference vs wevaled (unoptimized output)", () => {
  for (let chunk = 0; chunk < 5; chunk++)
    it(`seeds ${1 + chunk * 100}..${0 + (chunk + 1) * 100}`, () => differential(range(1 + chunk * 100, 100), 0));
});
