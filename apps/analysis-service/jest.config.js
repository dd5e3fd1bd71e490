module.exports = {
  displayName: 'analysis-service',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
