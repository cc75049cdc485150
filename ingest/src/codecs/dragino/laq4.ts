import { ByteReader, PayloadError } from '../byte-reader.ts';
import { scaled } from '../decimals.ts';
import { defineCodec } from '../define-codec.ts';
import { batteryFromVolts, metricsFrom } from '../normalise.ts';
import { DRAGINO_DATA_FPORT, expectLength } from './uplink.ts';

type Laq4Data =
  | {
      Bat_V: number;
      Work_mode: 'CO2';
      Alarm_status: 'TRUE' | 'FALSE';
      TVOC_ppb: number;
      CO2_ppm: number;
      TempC_SHT: number;
      Hum_SHT: number;
    }
  | {
      Bat_V: number;
      /** The device's reply to an alarm-threshold query. */
      Work_mode: 'ALARM';
      SHTEMPMIN: number;
      SHTEMPMAX: number;
      SHTHUMMIN: number;
      SHTHUMMAX: number;
      CO2MIN: number;
      CO2MAX: number;
    };

function decode(bytes: Uint8Array): Laq4Data {
  expectLength(bytes, 11);
  const r = new ByteReader(bytes);
  const batV = r.u16be() / 1000;
  const modeByte = r.u8();
  const mode = (modeByte & 0x7c) >> 2;
  if (mode === 1) {
    return {
      Bat_V: batV,
      Work_mode: 'CO2',
      Alarm_status: modeByte & 0x01 ? 'TRUE' : 'FALSE',
      TVOC_ppb: r.u16be(),
      CO2_ppm: r.u16be(),
      TempC_SHT: scaled(r.i16be(), 10),
      Hum_SHT: scaled(r.u16be(), 10),
    };
  }
  if (mode === 31) {
    return {
      Bat_V: batV,
      Work_mode: 'ALARM',
      SHTEMPMIN: r.i8(),
      SHTEMPMAX: r.i8(),
      SHTHUMMIN: r.u8(),
      SHTHUMMAX: r.u8(),
      CO2MIN: r.u16be(),
      CO2MAX: r.u16be(),
    };
  }
  throw new PayloadError(`unknown work mode ${mode}`);
}

export const laq4 = defineCodec<Laq4Data>({
  model: 'dragino/laq4',
  vendor: 'Dragino',
  name: 'LAQ4 air quality sensor (CO2, TVOC, temperature, humidity)',
  class: 'air',
  metrics: ['battery', 'battery_voltage', 'co2', 'tvoc', 'temperature', 'humidity'],
  fPorts: [DRAGINO_DATA_FPORT],
  decode,
  toMetrics: (data) =>
    metricsFrom([
      ...batteryFromVolts(data.Bat_V),
      ...(data.Work_mode === 'CO2'
        ? ([
            ['co2', data.CO2_ppm],
            ['tvoc', data.TVOC_ppb],
            ['temperature', data.TempC_SHT],
            ['humidity', data.Hum_SHT],
          ] as const)
        : []),
    ]),
  examples: [
    // From the TTN device repository's laq4-codec.yaml.
    {
      description: 'air quality report',
      input: { fPort: 2, bytes: [0x0d, 0x07, 0x05, 0x00, 0x12, 0x02, 0x0b, 0x00, 0xfb, 0x01, 0xb3] },
      output: {
        data: {
          Alarm_status: 'TRUE',
          Bat_V: 3.335,
          CO2_ppm: 523,
          Hum_SHT: 43.5,
          TVOC_ppb: 18,
          TempC_SHT: 25.1,
          Work_mode: 'CO2',
        },
      },
    },
    {
      description: 'unknown port',
      input: { fPort: 42, bytes: [0x0d, 0x07, 0x05, 0x00, 0x12, 0x02, 0x0b, 0x00, 0xfb, 0x01, 0xb3] },
      output: { errors: ['unknown FPort'] },
    },
  ],
});
