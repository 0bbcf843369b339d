/**
 * Query parameters that only track the click (campaign, ad click ids, mail-merge ids) and never
 * select content, so canonical URLs drop them. Names match case-insensitively; a trailing `*`
 * matches any name with that prefix.
 */
export const TRACKING_PARAMS: readonly string[] = [
  'utm_*', // Google Analytics / Urchin campaign tags (utm_source, utm_medium, utm_campaign, ...)
  'fbclid', // Facebook / Meta outbound click id
  'gclid', // Google Ads click id
  'gclsrc', // Google Ads click source
  'dclid', // Google Display & Video 360 (DoubleClick) click id
  'gbraid', // Google Ads iOS web-to-app click id
  'wbraid', // Google Ads iOS app-to-web click id
  'srsltid', // Google Merchant Center result id
  '_ga', // Google Analytics cross-domain linker
  '_gl', // Google Analytics 4 / gtag cross-domain linker
  'msclkid', // Microsoft Advertising (Bing Ads) click id
  'mc_cid', // Mailchimp campaign id
  'mc_eid', // Mailchimp subscriber id
  'yclid', // Yandex Direct click id
  '_openstat', // Yandex Openstat campaign tag
  'igshid', // Instagram share id
  'twclid', // Twitter / X Ads click id
  'ref_src', // Twitter / X embedded-tweet referrer
  '__twitter_impression', // Twitter / X impression flag on shared links
  'ttclid', // TikTok Ads click id
  'li_fat_id', // LinkedIn Ads first-party click id
  'epik', // Pinterest Ads click id
  '_hsenc', // HubSpot email tracking
  '_hsmi', // HubSpot email message id
  '__hstc', // HubSpot visitor cookie passed in links
  '__hssc', // HubSpot session cookie passed in links
  '__hsfp', // HubSpot browser fingerprint passed in links
  'hsctatracking', // HubSpot call-to-action tracking
  'mkt_tok', // Marketo email tracking token
  'oly_anon_id', // Omeda anonymous visitor id
  'oly_enc_id', // Omeda encrypted customer id
  'vero_id', // Vero email tracking id
  'vero_conv', // Vero conversion tracking
  '_bta_tid', // Bronto email tracking id
  '_bta_c', // Bronto campaign id
  'trk_contact', // Listrak email contact id
  'trk_msg', // Listrak email message id
  'trk_module', // Listrak email module
  'trk_sid', // Listrak email send id
  'ml_subscriber', // MailerLite subscriber id
  'ml_subscriber_hash', // MailerLite subscriber hash
  's_cid', // Adobe Analytics (SiteCatalyst) campaign id
  'ncid', // Yahoo / Verizon Media (Engadget, TechCrunch) campaign id
  'sr_share', // SimpleReach share tracking
  'spm', // Alibaba / Taobao / AliExpress "super position model" click tracking
  'wickedid', // Wicked Reports click id
  'guccounter', // Yahoo consent redirect counter
  'guce_referrer', // Yahoo consent redirect referrer
  'guce_referrer_sig', // Yahoo consent redirect referrer signature
  'pk_campaign', // Matomo / Piwik campaign tags
  'pk_kwd',
  'pk_keyword',
  'pk_source',
  'pk_medium',
  'pk_content',
  'pk_cid',
  'mtm_*', // Matomo campaign tags (mtm_campaign, mtm_kwd, mtm_source, ...)
];

const EXACT = new Set(TRACKING_PARAMS.filter((p) => !p.endsWith('*')));
const PREFIXES = TRACKING_PARAMS.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));

/** True when a (decoded) query parameter name is a tracking parameter from TRACKING_PARAMS. */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  if (EXACT.has(lower)) return true;
  for (const prefix of PREFIXES) if (lower.startsWith(prefix)) return true;
  return false;
}
