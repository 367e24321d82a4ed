import { defineTransform } from '../src/core/transform.js';

export default defineTransform({
  id: 'pin-python-base',
  title: 'Pin the Python base image',
  rationale: '',
  uvOnly: false,
  detect() {
    return [];
  },
});
