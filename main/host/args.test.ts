import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArgsError, defaultDataDir, parseHostArgs } from './args';

describe('host command line', () => {
  it('has the documented defaults: loopback, port 4870, embedded MQTT on 1883', () => {
    const a = parseHostArgs([], { XDG_CONFIG_HOME: '/cfg' });
    expect(a).toMatchObject({ host: '127.0.0.1', port: 4870, mqttPort: 1883, mqttUrl: null, demo: null, demoScale: 'town' });
    expect(a.dataDir).toBe(path.join('/cfg', 'CityOps Wall'));
  });

  it('takes CITYOPS_DATA_DIR, and --data-dir over it', () => {
    expect(parseHostArgs([], { CITYOPS_DATA_DIR: '/data/x' }).dataDir).toBe('/data/x');
    expect(parseHostArgs(['--data-dir', '/data/y'], { CITYOPS_DATA_DIR: '/data/x' }).dataDir).toBe('/data/y');
  });

  it('parses every documented option, in both spellings', () => {
    const a = parseHostArgs(['--host', '0.0.0.0', '--port=0', '--demo', 'none', '--mqtt-port', '0', '--mqtt-url', 'mqtt://10.1.1.1:1883', '--demo-scale=district'], {});
    expect(a).toMatchObject({ host: '0.0.0.0', port: 0, demo: 'none', mqttPort: 0, mqttUrl: 'mqtt://10.1.1.1:1883', demoScale: 'district' });
  });

  it('takes --basemap as a tile file (resolved) or an intranet URL (as given)', () => {
    expect(parseHostArgs([], {}).basemap).toBeNull();
    expect(parseHostArgs(['--basemap', 'maps/city.pmtiles'], {}).basemap).toBe(path.resolve('maps/city.pmtiles'));
    expect(parseHostArgs(['--basemap=http://10.1.2.3/wmts/{z}/{x}/{y}.png'], {}).basemap).toBe('http://10.1.2.3/wmts/{z}/{x}/{y}.png');
  });

  it('refuses bad values with a clear message', () => {
    expect(() => parseHostArgs(['--port', '99999'], {})).toThrowError(ArgsError);
    expect(() => parseHostArgs(['--demo', 'paris'], {})).toThrowError(/hangzhou or none/);
    expect(() => parseHostArgs(['--port'], {})).toThrowError(/needs a value/);
    expect(() => parseHostArgs(['--frobnicate'], {})).toThrowError(/unknown option/);
  });

  it('uses the platform app-data folder', () => {
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('CityOps Wall');
    expect(defaultDataDir({}, 'darwin')).toContain(path.join('Library', 'Application Support', 'CityOps Wall'));
  });
});
