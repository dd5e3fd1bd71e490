module.exports = {
  displayName: 'voice-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
