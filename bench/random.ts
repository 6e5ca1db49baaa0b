export { SeededRandom as Random } from '../src/domain/seeded-random.js';
