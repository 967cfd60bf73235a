import { useEffect, useState } from "preact/hooks";
import { follow } from "./api.js";

/**
 * The read side's live feed (GET /markets/feed, SSE): every market by Cargo type and the Islands by karma, kept
 * current by the events the server pushes; no polling.
 */
export function useMarketFeed() {
  const [markets, setMarkets] = useState({});
  const [islands, setIslands] = useState([]);
  const [error, setError] = useState("");
  useEffect(() => {
    const stop = new AbortController();
    follow("/markets/feed", (name, data) => {
      if (name === "market") setMarkets((all) => ({ ...all, [data.cargo]: data }));
      if (name === "islands") setIslands(data);
    }, stop.signal).catch((failure) => {
      if (!stop.signal.aborted) setError(failure.message);
    });
    return () => stop.abort();
  }, []);
  return { markets, islands, error };
}
