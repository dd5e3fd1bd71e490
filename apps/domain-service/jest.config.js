module.exports = {
  displayName: 'domain-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
