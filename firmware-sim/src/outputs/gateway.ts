import { buildDataFrame } from '../lorawan/frames.ts';
import { buildJoinRequest } from '../lorawan/join.ts';
import type { SimEvent } from '../simulation.ts';
import { type GatewayReception, gatewayUplink } from './gateway-bridge.ts';
import type { Output } from './output.ts';

/** The concentrator's microsecond counter wraps at 2^32. */
const TMST_WRAP = 2 ** 32;

/**
 * What a gateway would forward for each frame: whole LoRaWAN frames (FRMPayload encrypted with
 * the device's AppSKey, MIC with its NwkSKey; join-requests signed with its AppKey) as
 * gateway-bridge `gw.UplinkFrame` messages, for a real ChirpStack to take from there. Devices
 * keep the session keys the seed derives: provision them in ChirpStack as ABP with those keys
 * (the join-requests of the rejoin scenario then show as such, and their answers go unheard).
 */
export function gatewayOutput(): Output {
  return {
    messages: (event) => {
      const { device } = event;
      if (event.type === 'join') {
        const phy = buildJoinRequest(
          { joinEui: device.joinEui, devEui: device.devEui, devNonce: event.devNonce },
          device.appKey,
        );
        return [gatewayUplink(phy, reception(event, device.link.rssi, device.link.snr, 868_100_000))];
      }
      const u = event.uplink;
      const phy = buildDataFrame(
        {
          mtype: 'unconfirmed_data_up',
          devAddr: device.devAddr,
          fCnt: u.fCnt,
          fPort: u.fPort,
          payload: u.data,
          adr: true,
        },
        device.keys,
      );
      return [gatewayUplink(phy, reception(event, u.rssi, u.snr, u.frequency))];
    },
  };
}

function reception(event: SimEvent, rssi: number, snr: number, frequency: number): GatewayReception {
  const time = event.type === 'up' ? event.uplink.time : event.time;
  return {
    gatewayId: event.device.link.gatewayId,
    frequency,
    bandwidth: 125_000,
    spreadingFactor: event.device.link.spreadingFactor,
    codeRate: '4/5',
    rssi,
    snr,
    time,
    tmst: (time.getTime() * 1000) % TMST_WRAP,
    uplinkId: (event.device.fCnt * 7919 + Number.parseInt(event.device.devAddr, 16)) >>> 0,
  };
}
