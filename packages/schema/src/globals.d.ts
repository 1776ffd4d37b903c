// The one platform API schema uses; both browsers and Node provide it (Web Crypto).
declare const crypto: { getRandomValues<T extends ArrayBufferView>(array: T): T };
declare const URL: new (url: string) => { readonly protocol: string; readonly hostname: string; readonly href: string };
