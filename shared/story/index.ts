/** Stories: near-duplicate items across sources grouped under one story id (signatures, inbox, index, grouping). */
export { itemSignature, storyMember, storyText } from './assign';
export { groupByStory } from './group';
export { INBOX_OBJECT_ENTRIES, STORIES_PREFIX, STORIES_REJECTED_PREFIX, inboxEntry, inboxObjects, parseInboxObject, encodeMinhash, decodeMinhash, type InboxEntry } from './inbox';
export { StoryIndex, STORY_INDEX_PREFIX, serialiseIndexObject, parseIndexObject, STORY_WINDOW_DAYS, windowCutoff, BAND_MEMBER_LIMIT, CANDIDATE_LIMIT, type IndexedItem, type StoryAssignment } from './story-index';
